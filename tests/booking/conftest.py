"""Every booking test that uses the database sees the tests' own practice, not the demo's."""

import pytest

from tests.factories import practice_create


@pytest.fixture(autouse=True)
def practice(request):
    """The schedule of ``tests/factories.py`` (services, practitioners, weekly hours) in place
    of the demo's; pytest-django's own autouse fixture has opened the database by now. A
    journey through the demo's own pages (``@pytest.mark.demo``) keeps the demo's."""
    if request.node.get_closest_marker("demo"):
        return
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if uses_db:
        practice_create()
