"""Fixtures for the end-to-end journeys: the live server, the browser pointed at it, a real
SMTP server on loopback.

Playwright's sync API runs an event loop in the test's thread, and Django refuses database
work from a thread with a running loop unless told it is safe: here it is, the loop only
drives the browser.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from tests.support import Inbox, free_port

TIMEOUT_MS = 15_000  # a journey step that takes longer than this is broken, not slow


@pytest.fixture(scope="session")
def base_url(live_server):
    """Every ``page.goto("/…")`` goes to pytest-django's live server on loopback."""
    return live_server.url


@pytest.fixture(autouse=True)
def _one_request_at_a_time_on_in_memory_sqlite(live_server):
    """On the in-memory SQLite test database, every thread of the live server shares one
    connection (nothing else can see that database). Two requests at once on it (Wagtail's
    editor autosaves while its preview panel reloads) fail with "database table is
    locked", an artefact of the test database, not of the site. There, the server takes
    one request at a time; on PostgreSQL it stays threaded, each thread with its own
    connection."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield
        return
    server = live_server.thread.httpd
    application = server.get_app()
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            return application(environ, start_response)

    server.set_app(one_at_a_time)
    yield
    server.set_app(application)


@pytest.fixture
def new_context(new_context):
    """Contexts (``context`` and ``page`` included) that give up on a step after a while."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return make


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback, and the site sending its email there."""
    inbox = Inbox()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield inbox
    server.stop()
