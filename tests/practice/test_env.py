"""Settings come from the environment, read in one place (practice/settings/env.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from practice.settings import env


def test_database_defaults_to_a_sqlite_file_in_the_project(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database_config(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_names_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://clinic:s3cret@db.internal:6432/practice")
    config = env.database_config(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6432, "practice")
    assert (config["USER"], config["PASSWORD"]) == ("clinic", "s3cret")


def test_email_url_console_by_default():
    assert env.mailers_from_url("console:") == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }


def test_email_url_smtp_with_credentials_and_starttls():
    mailer = env.mailers_from_url("smtp://mailer%40clinic:p%2Fss@mail.example.com:587?tls=1")
    options = mailer["default"]["OPTIONS"]
    assert mailer["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert options["host"] == "mail.example.com"
    assert options["port"] == 587
    assert options["use_tls"] is True
    assert options["use_ssl"] is False
    assert (options["username"], options["password"]) == ("mailer@clinic", "p/ss")


def test_email_url_smtp_on_loopback_without_credentials():
    options = env.mailers_from_url("smtp://127.0.0.1:8025")["default"]["OPTIONS"]
    assert (options["host"], options["port"]) == ("127.0.0.1", 8025)
    assert "username" not in options


def test_email_url_smtps_defaults_to_port_465():
    options = env.mailers_from_url("smtps://mail.example.com")["default"]["OPTIONS"]
    assert options["use_ssl"] is True
    assert options["port"] == 465


@pytest.mark.parametrize("url", ["carrier-pigeon://coop", "smtp://"])
def test_email_url_refuses_what_it_cannot_send_with(url):
    with pytest.raises(ImproperlyConfigured):
        env.mailers_from_url(url)


def test_booleans_and_lists(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("HOSTS", " a.example , b.example ,")
    assert env.env_bool("FLAG") is True
    assert env.env_bool("MISSING_FLAG", default=True) is True
    assert env.env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("FLAG")


def test_time_zone_defaults_to_new_york():
    assert os.environ.get("TIME_ZONE", "America/New_York") == settings.TIME_ZONE


def _load_settings(module: str, **environment: str) -> subprocess.CompletedProcess:
    """Imports a settings module in a fresh interpreter with exactly this environment."""
    code = (
        "import django, os; "
        f"os.environ['DJANGO_SETTINGS_MODULE'] = '{module}'; "
        "from django.conf import settings; "
        "print(settings.TIME_ZONE, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'],"
        " settings.MAILERS['default']['BACKEND'])"
    )
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**keep, **environment},
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_environment_reaches_the_settings():
    result = _load_settings(
        "practice.settings.dev",
        TIME_ZONE="Europe/London",
        ALLOWED_HOSTS="clinic.example",
        DATABASE_URL="postgres://u@localhost/x",
        EMAIL_URL="smtp://127.0.0.1:8025",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Europe/London",
        "['clinic.example']",
        "django.db.backends.postgresql",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


# A key for these checks only (the settings never see it outside this file).
KEY = {"INTAKE_ENCRYPTION_KEYS": "ChKdZobMTAQZUxClZEp5XokyuQxg6gmGuQafCmfrJ0Y="}
COMPLETE = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "clinic.example",
    "EMAIL_URL": "smtp://mail.example",
    "SITE_URL": "https://clinic.example",
    **KEY,
}


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "INTAKE_ENCRYPTION_KEYS", "SITE_URL"]
)
def test_production_refuses_to_start_without_secrets(missing):
    environment = {k: v for k, v in COMPLETE.items() if k != missing}
    result = _load_settings("practice.settings.production", **environment)
    assert result.returncode != 0
    assert f"{missing} must be set for production" in result.stderr


def test_production_starts_with_secret_and_hosts():
    result = _load_settings("practice.settings.production", **COMPLETE)
    assert result.returncode == 0, result.stderr


def _manage_check(**environment: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        env={**keep, "DJANGO_SETTINGS_MODULE": "practice.settings.production", **environment},
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_an_empty_environment_names_every_missing_variable_at_once_without_a_traceback():
    result = _manage_check()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Configuration error: the environment is not complete:")
    for name in ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "INTAKE_ENCRYPTION_KEYS", "SITE_URL"]:
        assert f"{name} must be set for production" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        (
            "INTAKE_ENCRYPTION_KEYS",
            KEY["INTAKE_ENCRYPTION_KEYS"] + ",not-a-key-at-all",
            "key 2 of 2",
        ),
        ("SITE_URL", "clinic.example", "SITE_URL must be an address"),
        ("DATABASE_URL", "postgres//nowhere", "DATABASE_URL is not a database address"),
        ("CACHE_URL", "memcached://127.0.0.1", "CACHE_URL has an unknown scheme"),
        ("BOOKING_SUBMISSIONS_PER_HOUR", "ten", "BOOKING_SUBMISSIONS_PER_HOUR must be a whole"),
        ("TWO_FACTOR_REQUIRED", "perhaps", "TWO_FACTOR_REQUIRED must be true or false"),
    ],
)
def test_a_wrong_value_stops_the_start_with_its_name_and_no_traceback(variable, value, named):
    result = _manage_check(**{**COMPLETE, variable: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Configuration error:")
    assert named in result.stderr
    assert "not-a-key-at-all" not in result.stderr  # a key is never printed


def test_the_wsgi_server_stops_with_the_message_and_gunicorns_boot_error_status():
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import practice.wsgi"],
        capture_output=True,
        text=True,
        env={**keep, **{k: v for k, v in COMPLETE.items() if k != "EMAIL_URL"}},
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 3  # gunicorn: "Worker failed to boot", the server stops
    assert "Traceback" not in result.stderr
    assert "EMAIL_URL must be set for production" in result.stderr


def test_cache_url_is_a_process_cache_by_default_and_redis_when_shared():
    assert env.caches_from_url("locmem:")["default"]["BACKEND"].endswith("LocMemCache")
    redis = env.caches_from_url("redis://127.0.0.1:6379/2")["default"]
    assert redis["BACKEND"] == "practice.cache.ForgivingRedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/2"
    with pytest.raises(ImproperlyConfigured):
        env.caches_from_url("memcached://x")
