"""Settings for the test suite: fast hashing, emails kept in memory."""

from .base import *  # noqa: F403
from .env import caches_from_url, mailers_from_url

SECRET_KEY = "test-only-key"
INTAKE_ENCRYPTION_KEYS = ["6-JdI7_q1sx7woYllyjKiWT-x9YwetrTm-Sr_3LvuWo="]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = mailers_from_url("memory:")
# One process: each test starts with empty caches (tests/conftest.py); the check that
# refuses a per-process cache with DEBUG off (practice/checks.py) is for real servers.
CACHES = caches_from_url("locmem:")
SILENCED_SYSTEM_CHECKS = ["practice.E001"]

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# Uploads and renditions made by tests stay out of the project's media folder; a fixed
# folder, so a test database reused between runs still finds its images.
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405

LOGGING = {"version": 1, "disable_existing_loggers": False}

# Tasks run at once, inside the request that enqueued them; tests of the real worker
# switch to the database backend themselves.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
