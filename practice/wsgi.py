"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE themselves."""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

from practice import warmup
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
# whichever request set it off (the slowest bookings under load). First every view is
# imported (the URLconfs' names indexed) and the site's templates compiled (practice/
# warmup.py). Under gunicorn's --preload this runs in the master before it forks, so every
# app process starts with them and they keep sharing those pages of memory (Python's
# documentation of gc.freeze).
warmup.warm()
gc.freeze()

# gunicorn runs two threads a process (deploy/systemd/practice-web.service), and they share
# one interpreter lock. A thread whose database answer has come back waits until the other
# gives the lock up, by default after 5 ms of its work: the confirm step makes about fifteen
# round trips, so under load it waited most. Half a millisecond hands the lock over sooner,
# for a little more switching (sys.setswitchinterval in Python's documentation).
sys.setswitchinterval(0.0005)
