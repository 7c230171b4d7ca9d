"""Every test here with the database sees the tests' own site (``site``, tests/conftest.py),
not the demo's, unless it is marked ``@pytest.mark.demo``."""

import pytest


@pytest.fixture(autouse=True)
def _own_site(own_site):
    return own_site
