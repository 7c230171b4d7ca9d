"""Local development: DEBUG on, SQLite by default (``make run`` uses ``demo.py``, DEBUG off)."""

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
SERVE_MEDIA = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
INTERNAL_IPS = ["127.0.0.1"]

# runserver serves static files from the source folders; no manifest needed.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}

# A fixed key for the demo's made-up patients only. A real practice sets its own
# (`manage.py generate_encryption_key`); production refuses to start without one.
INTAKE_ENCRYPTION_KEYS = env_list(
    "INTAKE_ENCRYPTION_KEYS", ["ChKdZobMTAQZUxClZEp5XokyuQxg6gmGuQafCmfrJ0Y="]
)
