"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE themselves."""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from practice.settings.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.production")

try:
    application = get_wsgi_application()
except ConfigurationError as error:
    # The message names the variable. Exit status 3 is gunicorn's "worker failed to boot":
    # it stops the whole server instead of starting workers again and again.
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    sys.exit(3)

# What is loaded by now lives as long as the process. Frozen (gc.freeze), it is left out of
# every garbage collection: a full one walks what the requests made, not the 180,000 objects
# of Django, Wagtail and the site, which took about 100 ms on a 2-core machine, paid by
# whichever request set it off (the slowest bookings under load). Every view is imported
# first. Under gunicorn's --preload this runs in the master before it forks, so the app
# processes also keep sharing those pages of memory (Python's documentation of gc.freeze).
get_resolver().url_patterns  # noqa: B018 (imports every URLconf and view)
gc.freeze()
