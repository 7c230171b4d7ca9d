"""Every booking test that uses the database sees the tests' own practice, not the demo's."""

import pytest


@pytest.fixture(autouse=True)
def _own_practice(request):
    """``practice`` (tests/conftest.py) for every test here with the database; pytest-django's
    own autouse fixture has opened it by now. A journey through the demo's own pages
    (``@pytest.mark.demo``) keeps the demo's schedule."""
    if request.node.get_closest_marker("demo"):
        return
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("practice")
