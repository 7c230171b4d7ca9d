"""The calendar servers (servers.py), started and stopped around each test that asks."""

import pytest

from .servers import IcsServer, RadicaleServer


@pytest.fixture
def radicale(tmp_path):
    """A real CalDAV server on loopback; the test is skipped if Radicale cannot start."""
    pytest.importorskip("radicale")
    pytest.importorskip("caldav")
    server = RadicaleServer(tmp_path)
    try:
        if not server.start():
            pytest.skip("Radicale could not start on loopback")
        yield server
    finally:
        server.stop()


@pytest.fixture
def ics_server():
    server = IcsServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _quick_timeouts(settings):
    settings.CALENDAR_TIMEOUT_SECONDS = 2
