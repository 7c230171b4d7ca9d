"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE themselves."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from practice.settings.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.production")

try:
    application = get_wsgi_application()
except ConfigurationError as error:
    # The message names the variable. Exit status 3 is gunicorn's "worker failed to boot":
    # it stops the whole server instead of starting workers again and again.
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    sys.exit(3)
