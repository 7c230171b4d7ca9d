"""The ``make run`` demo: the development settings with DEBUG off.

A visitor trying the demo sees the site as a patient would, with its own "page not
found" and error pages rather than Django's debugging ones (tracebacks still go to the
console). ``runserver --insecure`` serves the static files; ``SERVE_MEDIA`` has the
site's own URLs serve the uploaded images.
"""

from .dev import *  # noqa: F403

DEBUG = False
SERVE_MEDIA = True
