"""/articles/: newest first, ten a page, filtered by topic, searchable."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.articles import make_article
from tests.factories.site import SEARCH_WORD


@pytest.mark.django_db
def test_lists_every_article_newest_first(client, soup, site):
    page = soup(client.get("/articles/"))
    titles = [a.get_text(strip=True) for a in page.select(".card__title a")]
    assert titles == [
        "Sleeping with a sore shoulder",
        "Tension headaches at the end of the working day",
        "Knee pain on the stairs",
        "Gentle shoulder exercises between sessions",
        "Medicines to mention before a session",
        "What a first session at Test Street looks like",
        "Walking, cycling and sore knees",
        "Headaches that need a doctor first",
    ]
    assert titles == [article.title for article in site.articles]


@pytest.mark.django_db
def test_paginates_ten_to_a_page(client, soup, site):
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(15):
        make_article(
            index=site.index,
            title=f"Knee note {n}",
            topics=[site.topics["knee-pain"]],
            published=start + dt.timedelta(minutes=n),
        )

    first = soup(client.get("/articles/"))
    second = soup(client.get("/articles/?page=2"))
    third = soup(client.get("/articles/?page=3"))
    beyond = client.get("/articles/?page=99")
    junk = client.get("/articles/?page=abc")

    # 15 new articles and the site's 8, newest first.
    assert len(first.select(".card--article")) == 10
    assert len(second.select(".card--article")) == 10
    assert len(third.select(".card--article")) == 3
    assert first.select_one(".card__title a").get_text() == "Knee note 14"
    assert third.select(".card__title a")[-1].get_text() == "Headaches that need a doctor first"
    assert first.select_one("a[rel=next]")["href"].endswith("page=2")
    assert beyond.status_code == 404 and junk.status_code == 404


@pytest.mark.django_db
def test_filters_by_topic(client, soup):
    page = soup(client.get("/articles/?topic=shoulder-pain"))
    titles = [a.get_text(strip=True) for a in page.select(".card__title a")]
    assert titles == [
        "Sleeping with a sore shoulder",
        "Gentle shoulder exercises between sessions",
    ]
    assert page.select_one("h1").get_text(strip=True).endswith("Shoulder pain")


@pytest.mark.django_db
def test_an_unknown_topic_is_not_found(client):
    # Not the whole list under a made-up address: that would be one more copy to cache.
    assert client.get("/articles/?topic=does-not-exist").status_code == 404


@pytest.mark.django_db
def test_search_finds_articles_by_their_words(client, soup):
    page = soup(client.get(f"/articles/?q={SEARCH_WORD}"))
    titles = [a.get_text(strip=True) for a in page.select(".card__title a")]
    assert titles == ["Medicines to mention before a session"]
    nothing = soup(client.get("/articles/?q=zzzyqxw"))
    assert nothing.select(".card--article") == []
    assert "No articles match" in nothing.get_text()


@pytest.mark.django_db
def test_search_text_is_escaped_in_the_page(client):
    response = client.get("/articles/", {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    assert b'<script>alert("x")</script>' not in response.content


@pytest.mark.django_db
def test_draft_articles_are_not_listed(client, article):
    article.unpublish()
    assert article.title.encode() not in client.get("/articles/").content
