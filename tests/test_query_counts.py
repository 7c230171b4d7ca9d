"""Every public page runs a small, fixed number of SQL queries, however much content there is.

The counts are taken on the second request: the first one makes what every visitor after
it reuses (image renditions). Whole pages kept for anonymous visitors are forgotten in
between, so what is counted is a page rendered, not a page served from the cache (that one
runs no query at all: tests/practice/test_page_cache.py). A rendered page pays for Wagtail's
site and page lookup (2 or 3 queries), the practice's details and navigation (2), its view
restrictions (1) and its own content, with the image renditions of each list of images in
one query (rather than a cache read and write an image, which Wagtail does otherwise).
"""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.page_cache import forget_pages
from tests.factories.articles import make_article

# The tests' own site (tests/conftest.py ``own_site``), not the demo's, for every test with the
# database.
pytestmark = pytest.mark.usefixtures("own_site")

BUDGET = 15
PAGES = [
    "/",
    "/articles/",
    "/articles/?page=3",
    "/articles/?topic=shoulder-pain",
    "/articles/?q=posture",
    "/about/",
    "/faq/",
    "/privacy-notice/",
    "/medical-disclaimer/",
    "/practitioners/rosa-lind/",
    "/book/",
]


@pytest.fixture
def lots_of_content(site):
    """Forty more articles, each with a hero image and two or three of the six topics."""
    topics = list(site.topics.values())
    images = site.images
    start = timezone.now() - dt.timedelta(days=90)
    for n, (image, first, second) in enumerate(
        zip(itertools.cycle(images), itertools.cycle(topics), itertools.cycle(topics[3:]))
    ):
        if n == 40:
            break
        chosen = [first, second] + ([topics[n % 5]] if n % 2 else [])
        make_article(
            index=site.index,
            title=f"Posture and pain, part {n}",
            topics=list(dict.fromkeys(chosen)),
            hero_image=image,
            published=start + dt.timedelta(hours=n),
        )


def queries_for(client, url) -> list[str]:
    assert client.get(url).status_code == 200
    forget_pages()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert context.captured_queries, f"{url} came from the page cache: nothing was counted"
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db
def test_public_pages_stay_within_the_query_budget(client, lots_of_content, article, subtests):
    for url in [*PAGES, article.url, "/articles/posture-and-pain-part-7/"]:
        with subtests.test(url=url):
            queries = queries_for(client, url)
            assert len(queries) <= BUDGET, "\n".join(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_content(client, site):
    before = {url: len(queries_for(client, url)) for url in ["/", "/articles/", "/faq/"]}
    topics = list(site.topics.values())[:3]
    image = site.images[0]
    for n in range(12):
        make_article(index=site.index, title=f"More {n}", topics=topics, hero_image=image)
    after = {url: len(queries_for(client, url)) for url in before}
    assert after == before
