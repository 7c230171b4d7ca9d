"""Production: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_str

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set for production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set for production (comma-separated).")
if not INTAKE_ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "INTAKE_ENCRYPTION_KEYS must be set for production: a key from "
        "`manage.py generate_encryption_key`, kept apart from SECRET_KEY and backed up."
    )
if not env_str("EMAIL_URL"):
    raise ImproperlyConfigured(
        "EMAIL_URL must be set for production, e.g. smtp://user:password@mail.example:587?tls=1"
    )

DEBUG = False

# Staff who can read intake answers must pass a second factor (practice/two_factor.py).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
