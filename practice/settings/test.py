"""Settings for the test suite: fast hashing, emails kept in memory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import mailers_from_url

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = mailers_from_url("memory:")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# Uploads and renditions made by tests never land in the project's media folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="practice-test-media-"))

LOGGING = {"version": 1, "disable_existing_loggers": False}
