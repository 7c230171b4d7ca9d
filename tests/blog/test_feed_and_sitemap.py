"""The RSS feed, the sitemap and robots.txt."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.django_db
def test_feed_parses_with_every_published_article(client, site):
    response = client.get("/articles/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.link for entry in feed.entries] == [a.full_url for a in site.articles]
    for article, entry in zip(site.articles, feed.entries, strict=True):
        assert entry.title == article.title
        assert entry.summary == article.summary
        assert entry.published_parsed[:3] == article.first_published_at.utctimetuple()[:3]
        assert entry.author.startswith("Rosa Lind")


@pytest.mark.django_db
def test_sitemap_lists_every_article_and_page(client, site):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    pages = [site.home, site.index, *site.pages.values(), *site.articles]
    profiles = {loc for loc in locations if "/practitioners/" in loc}
    assert locations - profiles == {page.full_url for page in pages}
    assert {
        f"{settings.SITE_URL}/",
        f"{settings.SITE_URL}/about/",
        f"{settings.SITE_URL}/articles/",
        f"{settings.SITE_URL}/articles/sleeping-with-a-sore-shoulder/",
    } <= locations
    # Pages say when they last changed; a profile keeps no such date, and the sitemap
    # protocol makes lastmod optional.
    assert all(
        url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
        if url.findtext("s:loc", namespaces=SITEMAP_NS) not in profiles
    )
    assert profiles, "the practitioners' public profiles are listed too"


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


@pytest.mark.django_db
def test_the_feed_s_self_link_and_addresses_come_from_site_url_not_the_host_header(client, site):
    # An allowed host, but on another port than the site's public address.
    response = client.get("/articles/feed/", HTTP_HOST="localhost:8443")
    feed = feedparser.parse(response.content)
    [self_link] = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == f"{settings.SITE_URL}/articles/feed/"
    assert feed.feed.link == f"{settings.SITE_URL}/articles/"
    assert [entry.link for entry in feed.entries] == [a.full_url for a in site.articles]
    assert [entry.id for entry in feed.entries] == [a.full_url for a in site.articles]
    assert b"8443" not in response.content and b"localhost" not in response.content
