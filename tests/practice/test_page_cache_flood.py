"""Made-up addresses of the article index are 404s and never fill the page cache."""

import pytest
from django.core.cache import caches

from blog.models import Topic


def cached_pages() -> set[str]:
    """The page cache's keys in the tests' local-memory cache."""
    return {key for key in caches["pages"]._cache if ":page:" in key}


@pytest.mark.django_db
def test_a_scanner_on_the_article_index_caches_nothing_and_the_real_pages_stay(
    client, article_index, django_assert_num_queries
):
    index = article_index.url
    real_topic = Topic.objects.in_use().first().slug
    assert client.get(index).status_code == 200  # the real page, now cached
    assert len(cached_pages()) == 1

    made_up = [
        *[f"?topic=nothing-{n}" for n in range(200)],
        *[f"?page={n}" for n in range(2, 200)],
        *["?page=abc", "?page=0", "?page=-1", "?page=01", "?page=1.0", "?page=%201"],
        f"?topic={real_topic}&page=99",
    ]
    refused = {query: client.get(index + query).status_code for query in made_up}
    assert set(refused.values()) == {404}, {q: s for q, s in refused.items() if s != 404}
    assert len(cached_pages()) == 1

    # The same real page asked twice over in one address is served, but not kept again.
    assert client.get(f"{index}?topic={real_topic}&topic={real_topic}").status_code == 200
    assert len(cached_pages()) == 1

    with django_assert_num_queries(0):
        assert client.get(index).status_code == 200  # still served from the cache
