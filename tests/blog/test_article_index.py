"""/articles/: newest first, ten a page, filtered by topic, searchable."""

import datetime as dt

import pytest
from django.utils import timezone

from blog.models import ArticlePage, Topic
from tests.factories import make_article


@pytest.mark.django_db
def test_lists_every_demo_article_newest_first(client, soup):
    page = soup(client.get("/articles/"))
    titles = [a.get_text(strip=True) for a in page.select(".card__title a")]
    expected = list(
        ArticlePage.objects.live().order_by("-first_published_at").values_list("title", flat=True)
    )
    assert len(expected) >= 8
    assert titles == expected


@pytest.mark.django_db
def test_paginates_ten_to_a_page(client, soup, article_index):
    topic = Topic.objects.get(slug="posture")
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(15):
        make_article(
            index=article_index,
            title=f"Posture note {n}",
            topics=[topic],
            published=start + dt.timedelta(minutes=n),
        )
    total = ArticlePage.objects.live().count()

    first = soup(client.get("/articles/"))
    second = soup(client.get("/articles/?page=2"))
    beyond = client.get("/articles/?page=99")
    junk = client.get("/articles/?page=abc")

    assert len(first.select(".card--article")) == 10
    assert len(second.select(".card--article")) == min(10, total - 10)
    assert first.select_one(".card__title a").get_text() == "Posture note 14"
    assert first.select_one("a[rel=next]")["href"].endswith("page=2")
    assert beyond.status_code == 404 and junk.status_code == 404


@pytest.mark.django_db
def test_filters_by_topic(client, soup):
    topic = Topic.objects.get(slug="neck-pain")
    page = soup(client.get("/articles/?topic=neck-pain"))
    titles = {a.get_text(strip=True) for a in page.select(".card__title a")}
    assert titles == set(
        ArticlePage.objects.live().filter(topics=topic).values_list("title", flat=True)
    )
    assert 0 < len(titles) < ArticlePage.objects.live().count()
    assert page.select_one("h1").get_text(strip=True).endswith("Neck pain")


@pytest.mark.django_db
def test_an_unknown_topic_is_not_found(client):
    # Not the whole list under a made-up address: that would be one more copy to cache.
    assert client.get("/articles/?topic=does-not-exist").status_code == 404


@pytest.mark.django_db
def test_search_finds_articles_by_their_words(client, soup):
    page = soup(client.get("/articles/?q=pacemaker"))
    titles = [a.get_text(strip=True) for a in page.select(".card__title a")]
    assert "Tell Your Practitioner First: Health Details That Matter" in titles
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
