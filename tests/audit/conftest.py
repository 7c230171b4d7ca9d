"""Fixtures for the audits: axe in Chromium, the Nu Html Checker and Lighthouse.

The live server runs in a thread of the test process, and Playwright's sync API
runs an event loop in the same thread as the test: Django refuses database
queries from such a thread unless told it is safe, which it is here.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
