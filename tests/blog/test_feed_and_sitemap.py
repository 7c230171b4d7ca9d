"""The RSS feed, the sitemap and robots.txt."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings

from blog.models import ArticlePage
from practice.models import StandardPage

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.django_db
def test_feed_parses_with_every_published_article(client):
    response = client.get("/articles/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert not feed.bozo, feed.get("bozo_exception")
    articles = ArticlePage.objects.live()
    assert len(feed.entries) == articles.count() >= 8
    by_link = {entry.link: entry for entry in feed.entries}
    for article in articles:
        entry = by_link[article.full_url]
        assert entry.title == article.title
        assert entry.summary == article.summary
        assert entry.published_parsed is not None
        assert entry.author.startswith("Mei Lin Harper")


@pytest.mark.django_db
def test_sitemap_lists_every_article_and_page(client):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    for page in [*ArticlePage.objects.live(), *StandardPage.objects.live()]:
        assert page.full_url in locations
    assert {f"{settings.SITE_URL}/", f"{settings.SITE_URL}/articles/"} <= locations
    assert all(
        url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    )


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
