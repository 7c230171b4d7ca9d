"""Fixtures shared by every test, the suite's clock and its Hypothesis profile.

The demo practice (pages, articles, images, services) is built once per test database,
for the journey, browser and audit tests. Booking tests put a schedule of their own in
place of the demo's (tests/booking/conftest.py), page tests a whole site of their own
(``site``: tests/blog/, tests/practice/ and the page modules here; tests/factories/site.py).
"""

import unittest

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connections
from hypothesis import HealthCheck, settings

from tests.clock import suite_start
from tests.support import CHROMIUM, CHROMIUM_ARGS

# The suite's clock starts as this file is imported, before any test module (see
# tests/clock.py). Not in pytest_configure: pytest imports the conftest.py of each folder named
# on the command line before it configures, and a folder's conftest may import a module that
# computes dates (tests/booking/privacy/people.py); this file is always imported first.
_START = suite_start()
time_machine.travel(_START, tick=True).start()


def pytest_report_header(config):
    return f"suite clock: starts at {_START.isoformat()} (TEST_CLOCK)"


# Property tests draw the same examples on every run and keep no example database, so CI is
# reproducible. Each example is a request or a booking against a real database: no deadline,
# and the health checks about slow or function-scoped set-up do not apply.
settings.register_profile(
    "suite",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
settings.load_profile("suite")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from wagtail.models import Page

    from demo.loader import load_demo_content

    with django_db_blocker.unblock():
        if not Page.objects.exists():
            pytest.exit(
                "The reused test database is empty: an earlier run was stopped before it "
                "could put the demo back. Run once with --create-db.",
                returncode=2,
            )
        load_demo_content(sample_appointments=False)
        # Transactional tests (a live server for the browser) empty every table when they
        # end. Marked ``serialized_rollback=True`` they start from this snapshot instead:
        # the demo practice, not the bare database the migrations left.
        for connection in connections.all(initialized_only=True):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            _snapshots[connection.alias] = connection._test_serialized_contents
    _snapshot_on_new_connections()
    yield
    # The last transactional test left every table empty. A database kept for the next
    # run (--reuse-db, the default) gets the demo back, or that run would find nothing.
    with django_db_blocker.unblock():
        if not Page.objects.exists():
            for connection in connections.all(initialized_only=True):
                if alias_snapshot := _snapshots.get(connection.alias):
                    connection.creation.deserialize_db_from_string(alias_snapshot)


_snapshots: dict[str, str] = {}


def _snapshot_on_new_connections() -> None:
    """Gives the snapshot to connections opened later in the test's thread too.

    Once Playwright's sync API runs an event loop in that thread, asgiref keeps Django's
    connections per context rather than per thread, so the tests after it get new
    connection objects: without this, the first transactional test then empties the
    database and the next ones start from nothing.
    """
    create = connections.create_connection

    def create_connection(alias):
        connection = create(alias)
        if alias in _snapshots:
            connection._test_serialized_contents = _snapshots[alias]
        return connection

    connections.create_connection = create_connection


@pytest.fixture
def practice():
    """The tests' own schedule (tests/factories/practice.py) in place of the demo's. Asked for by a
    test that already has the database; every booking test gets it (tests/booking)."""
    from tests.factories.practice import practice_create

    practice_create()


@pytest.fixture
def site(practice):
    """The tests' own site (tests/factories/site.py) in place of the demo's pages, topics and
    practice details, with the tests' own schedule (``practice``) under it."""
    from tests.factories.site import site_create

    return site_create()


@pytest.fixture
def own_site(request):
    """``site`` for a test with the database, unless it tests the demo or goes through it
    (``@pytest.mark.demo``). Autouse in the page tests' folders, used by the page modules
    at the top (``pytestmark``); pytest-django's own autouse fixture has opened the
    database by now. A Django test case builds its own in ``setUpTestData``: fixtures run
    outside the transaction it wraps each test in (tests/practice/test_page_types.py)."""
    if request.node.get_closest_marker("demo") or isinstance(request.instance, unittest.TestCase):
        return None
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    return request.getfixturevalue("site") if uses_db else None


@pytest.fixture(autouse=True)
def _empty_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def soup():
    def parse(response) -> BeautifulSoup:
        return BeautifulSoup(response.content, "html.parser")

    return parse


@pytest.fixture
def home():
    from practice.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def article_index():
    from blog.models import ArticleIndexPage

    return ArticleIndexPage.objects.get()


@pytest.fixture
def article(site):
    """The test site's article with every kind of block, a hero image and a figure."""
    return site.article


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
