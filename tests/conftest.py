"""Fixtures shared by every test.

The demo practice (pages, articles, images, services) is built once per test
database, so most tests read realistic content without paying for it again.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from practice.demo.loader import load_demo_content

    with django_db_blocker.unblock():
        load_demo_content(sample_appointments=False)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
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
def article():
    from blog.models import ArticlePage

    return ArticlePage.objects.live().get(slug="your-first-visit")
