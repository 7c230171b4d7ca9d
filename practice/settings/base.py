"""Settings shared by every environment. Environment variables come from ``env``."""

import datetime as dt

from django.utils.csp import CSP

from practice.formats import picker_formats

from .env import (
    BASE_DIR,
    caches_from_url,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    mailers_from_url,
)

PROJECT_DIR = BASE_DIR / "practice"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "practice",
    "blog",
    "booking",
    "demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Wagtail's search index on PostgreSQL needs it (postgres.E005 otherwise).
    "django.contrib.postgres",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, so the login throttle and the booking limit see the visitor's address.
    "practice.middleware.ProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "practice.middleware.SecurityHeadersMiddleware",
    # Inside the three above, so pages served from it get fresh security headers; before
    # the session, which it never needs.
    "practice.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in staff: the session ends after STAFF_SESSION_IDLE_SECONDS without a request.
    "practice.staff_sessions.StaffIdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "practice.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees every login attempt's outcome.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "practice.urls"
WSGI_APPLICATION = "practice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practice.context_processors.chrome",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
# Sessions (the booking in progress, a login) read from the cache, written through to the
# database: a page view with a session costs no query for it, and nothing is lost when the
# cache is emptied or unreachable.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A staff session ends after 8 hours idle (practice/staff_sessions.py).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 8 * 3600, minimum=60)
CACHES = caches_from_url(env_str("CACHE_URL", "file:"))
# nginx's one-minute micro-cache (deploy/nginx/practice.conf), told by Wagtail, from the task
# worker, which addresses a publish changed. Empty: nginx keeps no pages.
FRONT_CACHE_PURGE_URL = env_str("FRONT_CACHE_PURGE_URL", "")
WAGTAILFRONTENDCACHE = (
    {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONT_CACHE_PURGE_URL,
        }
    }
    if FRONT_CACHE_PURGE_URL
    else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The practice's locale: how times and dates are written (see FORMAT_MODULE_PATH below).
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en-us")
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
# Phone numbers without a country code are read as this country's (ISO 3166 code).
PRACTICE_COUNTRY = env_str("PRACTICE_COUNTRY", "US")
USE_I18N = True
# How times and dates are written and read everywhere, admin, site and emails, follows
# LANGUAGE_CODE: practice/formats/en/formats.py (12-hour) for "en-us", en_GB/ (24-hour)
# for "en-gb". The admin's pickers write the locale's first input formats, and staff
# cannot pick another admin language whose formats would read them differently.
FORMAT_MODULE_PATH = ["practice.formats"]
WAGTAIL_DATETIME_FORMAT, WAGTAIL_TIME_FORMAT = picker_formats(LANGUAGE_CODE)
WAGTAILADMIN_PERMITTED_LANGUAGES = [(LANGUAGE_CODE, "English")]
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Whether Django serves MEDIA_ROOT itself (dev and the demo); in production nginx does.
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}

MAILERS = mailers_from_url(env_str("EMAIL_URL", "console:"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cedar Street Acupuncture <noreply@localhost>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Wagtail
WAGTAIL_SITE_NAME = "Cedar Street Acupuncture"
# The public address of the site: canonical links, feeds, sitemaps and emails use it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# nginx passes the host name without a port (deploy/nginx/practice.conf), so a form sent from
# the site's own address on another port than 443 names an origin Django must be told of.
CSRF_TRUSTED_ORIGINS = [SITE_URL]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Avatars would otherwise be fetched from Gravatar: staff visits are nobody else's business.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# About 40 megapixels (a 121-megapixel PNG of 15 KB took 12 s and 583 MB to render), and
# originals stored without EXIF/GPS (practice/images.py).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "practice.images.MetadataFreeImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "odt", "docx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_FINDERS = []

# Server errors are emailed to these addresses (comma-separated) when DEBUG is off;
# the report hides POST data, cookies and local variables (practice/errors.py).
ADMINS = env_list("ADMINS")
DEFAULT_EXCEPTION_REPORTER_FILTER = "practice.errors.PatientDataSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "practice.errors.TokenMaskingExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # The secret of a manage, waiting-list or calendar link, as "…" (practice/log_masking.py).
        "token_mask": {"()": "practice.log_masking.TokenMask"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["token_mask"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "token_mask"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handler would print every line a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
        # One line per task state change is noise; failures still show. (Django's own
        # tasks log as "django.tasks"; the django-tasks package as "django_tasks".)
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # The calendar clients would log requests, and with them a feed's secret address.
        "caldav": {"level": "WARNING"},
        "niquests": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}

# Intake answers (and the screening flags drawn from them) are deleted this many years
# after the patient's last appointment, by a daily task (booking/tasks.py). Seven is a
# cautious default: the periods US states set for keeping adults' medical records
# commonly run from 6 to 10 years. Check the rule where the practice is and set this
# to match; never below 1.
INTAKE_RETENTION_YEARS = env_int("INTAKE_RETENTION_YEARS", 7, minimum=1)

# Background work (emails, reminders, Wagtail's own indexing) goes through a queue in
# the database; `manage.py db_worker` runs it. `make run` starts a worker beside the server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A failed email is tried again after 30 s, then twice as long each time, at most every
# ten minutes (booking/tasks.py). The drill (deploy/drill/) shortens both.
TASK_RETRY_FIRST_DELAY = dt.timedelta(seconds=30)
TASK_RETRY_MAX_DELAY = dt.timedelta(minutes=10)
# A task still "running" this long after it started lost its worker (killed, or the
# machine stopped): `manage.py requeue_stalled_tasks` puts it back in the queue. Far
# longer than any task takes: an email gives up on the mail server after 10 s.
TASK_STALLED_AFTER = dt.timedelta(minutes=10)

# The practitioners' own calendars (booking/calendars/): read by the task worker every
# this many minutes, each request given up after this many seconds; the practitioner is
# emailed once a calendar has failed this many times in a row.
CALENDAR_SYNC_MINUTES = env_int("CALENDAR_SYNC_MINUTES", 5, minimum=1)
CALENDAR_TIMEOUT_SECONDS = env_int("CALENDAR_TIMEOUT_SECONDS", 10, minimum=1)
CALENDAR_FAILURES_BEFORE_EMAIL = env_int("CALENDAR_FAILURES_BEFORE_EMAIL", 3, minimum=1)

# Booking confirmations accepted from one address in an hour.
BOOKING_SUBMISSIONS_PER_HOUR = env_int("BOOKING_SUBMISSIONS_PER_HOUR", 10, minimum=1)
# Private links (manage, waiting list, "sooner", calendar feed) that opened nothing, from one
# address (an IPv6 /64) in an hour, before the next wrong one is answered 429.
TOKEN_GUESSES_PER_HOUR = env_int("TOKEN_GUESSES_PER_HOUR", 20, minimum=1)

# The most upcoming appointments one email address or phone number may hold booked online
# (booking/caps.py; staff bookings are not counted): room for a full course and then some.
ONLINE_BOOKINGS_AHEAD = env_int("ONLINE_BOOKINGS_AHEAD", 12, minimum=1)

# The most sessions one request for a course of treatment may add (booking/courses/).
COURSE_MAX_SESSIONS = env_int("COURSE_MAX_SESSIONS", 10, minimum=1)
# For how many days after a visit its manage link still opens, to book more sessions from
# it (moving and cancelling close when the visit is over).
COURSE_REQUEST_DAYS_AFTER = env_int("COURSE_REQUEST_DAYS_AFTER", 30, minimum=0)

# The waiting list (booking/waitlist/): a freed time is offered this many minutes after it
# was freed (a staff correction in between sends nothing), held for the patient this many
# hours, or minutes when it is within a day; close to the time (the booking policy may
# then tell everyone at once) and the most weeks an entry waits.
WAITLIST_GRACE_MINUTES = env_int("WAITLIST_GRACE_MINUTES", 5, minimum=0)
WAITLIST_HOLD_HOURS = env_int("WAITLIST_HOLD_HOURS", 2, minimum=1)
WAITLIST_SHORT_HOLD_MINUTES = env_int("WAITLIST_SHORT_HOLD_MINUTES", 30, minimum=5)
WAITLIST_BROADCAST_HOURS = env_int("WAITLIST_BROADCAST_HOURS", 3, minimum=0)
WAITLIST_MAX_WEEKS = env_int("WAITLIST_MAX_WEEKS", 8, minimum=1)

# The reverse proxies whose X-Real-IP header names the client (practice/middleware.py):
# behind nginx on the same machine, 127.0.0.1. Empty: the connection's own address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Two-factor authentication (practice/two_factor.py): required of staff who can read
# intake answers when on. Production turns it on; the demo leaves it off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Cedar Street Acupuncture"

# Keys that encrypt intake answers and staff notes at rest (booking/encryption.py):
# Fernet keys, newest first, separate from SECRET_KEY. Production refuses to start
# without one; the demo and the tests set their own.
INTAKE_ENCRYPTION_KEYS = env_list("INTAKE_ENCRYPTION_KEYS")

# Content Security Policy. Public pages: everything from this site only, no inline code
# (the site has none; JSON-LD is data, not script), nothing framed, no plugins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Wagtail's admin needs inline styles and scripts and frames its own previews.
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
# Wagtail 8 still writes inline <script> elements in the signed-in admin (the date pickers
# of list filters, the image, page and snippet choosers on edit forms, the chooser modals),
# without a nonce, so ADMIN_CSP keeps 'unsafe-inline' scripts. The pages before signing in
# (sign-in, password reset) and the second factor's have none: they get no inline script.
ADMIN_SIGN_IN_CSP = {**ADMIN_CSP, "script-src": [CSP.SELF]}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes, practice/login_throttle.py): five failed attempts lock the
# (username, address) pair, and separately the address, for half an hour, with a page that
# says so; never the username alone (anyone could lock anyone out). The username is slowed
# down instead: after LOGIN_SLOW_AFTER failures in an hour, one attempt per
# LOGIN_SLOW_SECONDS, and its holder is emailed. IPv6 addresses count by their /64.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "practice.login_throttle.client_ip"
LOGIN_SLOW_AFTER = 5
LOGIN_SLOW_SECONDS = 60
WAGTAILADMIN_USER_LOGIN_FORM = "practice.login_throttle.ThrottledLoginForm"
# "Forgotten password?" (practice/password_reset.py): requests taken from one address, and
# for one email address, in an hour; the email goes out from the task worker.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "practice.password_reset.QueuedPasswordResetForm"
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 5, minimum=1)
PASSWORD_RESETS_PER_ACCOUNT = env_int("PASSWORD_RESETS_PER_ACCOUNT", 3, minimum=1)
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
