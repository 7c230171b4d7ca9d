"""Production: every secret and host comes from the environment.

Every missing or wrong variable is named at once, in one message, before anything starts
(``manage.py`` and ``wsgi.py`` print it without a traceback): a first deploy should not
meet them one at a time. ``deploy/practice.env.example`` lists them all.
"""

from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .env import ConfigurationError, env_bool, env_str


def _key_problem(keys: list[str]) -> str | None:
    if not keys:
        return (
            "INTAKE_ENCRYPTION_KEYS must be set for production: a key from "
            "`manage.py generate_encryption_key`, kept apart from SECRET_KEY and backed up."
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # Which one, never the key itself.
            return (
                f"INTAKE_ENCRYPTION_KEYS: key {position} of {len(keys)} is not a key from "
                "`manage.py generate_encryption_key` (32 url-safe base64-encoded bytes)."
            )
    return None


def _site_url_problem(url: str) -> str | None:
    if not env_str("SITE_URL"):
        return "SITE_URL must be set for production: the site's public address, e.g. https://clinic.example"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        return f"SITE_URL must be an address like https://clinic.example, not {url!r}."
    return None


def _problems() -> list[str]:
    found = []
    if not SECRET_KEY:  # noqa: F405
        found.append("SECRET_KEY must be set for production.")
    if not ALLOWED_HOSTS:  # noqa: F405
        found.append("ALLOWED_HOSTS must be set for production (comma-separated host names).")
    if not env_str("EMAIL_URL"):
        found.append(
            "EMAIL_URL must be set for production, e.g. smtp://user:password@mail.example:587?tls=1"
        )
    found.append(_key_problem(INTAKE_ENCRYPTION_KEYS))  # noqa: F405
    found.append(_site_url_problem(SITE_URL))  # noqa: F405
    return [problem for problem in found if problem]


if problems := _problems():
    raise ConfigurationError("\n  ".join(["the environment is not complete:", *problems]))

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
