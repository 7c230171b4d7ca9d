"""Fixtures for the audits: axe in Chromium, the Nu Html Checker and Lighthouse.

The live server runs in a thread of the test process, and Playwright's sync API
runs an event loop in the same thread as the test: Django refuses database
queries from such a thread unless told it is safe, which it is here.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.db import transaction
from django.test import Client

from .pages import booking_pages, public_pages


@pytest.fixture(scope="session")
def walked_pages(django_db_setup, django_db_blocker):
    """The HTML of every page and booking state, fetched once for the checks that read it.

    The walk books (and cancels) an appointment; it runs in a transaction rolled back at
    the end, so the database is as the demo left it for the tests that follow.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        pages = public_pages(client) + booking_pages(client)
        transaction.set_rollback(True)
    return {page.name: page for page in pages}
