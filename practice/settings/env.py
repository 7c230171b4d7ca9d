"""Every environment variable the project reads, in one place.

Settings modules import from here; nothing else in the project touches
``os.environ`` for configuration. Each reader documents its default, and the
README lists them all.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class ConfigurationError(ImproperlyConfigured):
    """A variable in the environment is missing or wrong. ``manage.py`` and ``wsgi.py``
    print its message, which names the variable, and stop: no traceback."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number; a typo or a value below ``minimum`` stops the start with a clear error
    instead of running with a setting nobody chose."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config(default_sqlite_path: Path) -> dict:
    """``DATABASE_URL`` as a Django database dict; a SQLite file by default."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite_path}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError) as error:
        # The message names the variable, never its value: it can hold a password.
        raise ConfigurationError(
            "DATABASE_URL is not a database address, e.g. "
            "postgres://user:password@127.0.0.1:5432/practice"
        ) from error
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A busy timeout and IMMEDIATE transactions let concurrent writers
        # queue behind each other instead of failing with "database is locked".
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return config


def mailers_from_url(url: str) -> dict:
    """Turn ``EMAIL_URL`` into Django 6.1's ``MAILERS`` setting.

    Supported forms:

    - ``console:`` (the default): emails are printed on the console.
    - ``smtp://user:password@host:port`` plain SMTP, upgraded with
      ``?tls=1`` (STARTTLS); ``smtps://...`` for implicit TLS.
    - ``memory:`` keeps emails in ``django.core.mail.outbox`` (tests).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"console", ""}:
        backend = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    elif scheme == "memory":
        backend = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    elif scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigurationError("EMAIL_URL needs a host, e.g. smtp://127.0.0.1:8025")
        query = parse_qs(parts.query)
        options = {
            "host": parts.hostname,
            "port": parts.port or (465 if scheme == "smtps" else 25),
            "use_ssl": scheme == "smtps",
            "use_tls": query.get("tls", ["0"])[0].lower() in {"1", "true", "yes"},
            "timeout": int(query.get("timeout", ["10"])[0]),
        }
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        backend = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    else:
        raise ConfigurationError(f"EMAIL_URL has an unknown scheme {scheme!r}.")
    return {"default": backend}


def caches_from_url(url: str) -> dict:
    """Turn ``CACHE_URL`` into ``CACHES``: ``default`` (sessions), ``pages`` (the page cache,
    emptied whole on every content change, so nothing else may live in it) and ``limits``
    (the rate limits' counters, in the database whatever the URL: a full cache evicting
    them would reset them).

    - ``file:`` (the default; ``file:///path`` for another folder than ``.cache/``): files
      shared by every process of one machine (the demo's server and task worker). Reading
      one costs no query: Wagtail keeps image renditions in ``default`` too.
    - ``db:``: tables in the database, shared by every process on it, on any machine;
      ``manage.py createcachetable`` makes them (and always the rate limits' table). Each
      read is a query.
    - ``redis://host:port/N``: shared by every app server; pages in database ``N + 1``.
      While Redis is unreachable or out of memory the site runs without it
      (practice/cache.py); a second's timeout keeps a Redis that does not answer from
      holding every request.
    - ``locmem:``: one cache per process. Only for tests and ``DEBUG``: a system check
      refuses it otherwise (practice/checks.py).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    limits = _database_cache("practice_limits", max_entries=1_000_000)
    if scheme == "file":
        folder = Path(unquote(parts.path)) if parts.path else BASE_DIR / ".cache"
        return {
            "default": _file_cache(folder / "default", max_entries=20_000),
            "pages": _file_cache(folder / "pages", max_entries=5_000),
            "limits": limits,
        }
    if scheme == "db":
        return {
            "default": _database_cache("practice_cache", max_entries=100_000),
            "pages": _database_cache("practice_page_cache", max_entries=10_000),
            "limits": limits,
        }
    if scheme == "locmem":
        return {
            alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
            for alias in ("default", "pages", "limits")
        }
    if scheme in {"redis", "rediss"}:
        number = int(parts.path.strip("/") or 0)
        pages = parts._replace(path=f"/{number + 1}").geturl()
        return {"default": _redis_cache(url), "pages": _redis_cache(pages), "limits": limits}
    raise ConfigurationError(f"CACHE_URL has an unknown scheme {scheme!r}.")


def _file_cache(folder: Path, *, max_entries: int) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(folder),
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


def _database_cache(table: str, *, max_entries: int) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


def _redis_cache(url: str) -> dict:
    return {
        "BACKEND": "practice.cache.ForgivingRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
