"""What an article shows: facts about it, contents, related reading and a way to book."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_article_shows_who_wrote_and_reviewed_it_and_when(client, soup, article):
    page = soup(client.get(article.url))
    facts = page.select_one(".article__facts").get_text(" ", strip=True)
    assert "Written by Rosa Lind, L.Ac." in facts.replace(":", "")
    assert article.first_published_at.strftime("%B %-d, %Y") in facts
    assert "Last reviewed" in facts and article.last_reviewed.strftime("%B %-d, %Y") in facts
    assert f"{article.reading_minutes} min" in facts
    assert page.select_one("h1").get_text(strip=True) == article.title


@pytest.mark.django_db
def test_reading_time_follows_the_length_of_the_text(article):
    assert article.word_count > 800
    assert article.reading_minutes == -(-article.word_count // 200)


@pytest.mark.django_db
def test_table_of_contents_links_to_every_section_heading(client, soup, article):
    page = soup(client.get(article.url))
    links = page.select(".toc a")
    headings = page.select(".article__body h2[id]")
    assert len(links) == len(article.table_of_contents) >= 3
    assert [a["href"].lstrip("#") for a in links] == [h["id"] for h in headings][: len(links)]


@pytest.mark.django_db
def test_related_articles_share_a_topic_and_exclude_the_article(client, soup, article):
    # Sleeping with a sore shoulder: shoulder pain and sleep; one article shares each.
    page = soup(client.get(article.url))
    related = [a.get_text(strip=True) for a in page.select("#related-heading ~ ul .card__title a")]
    assert related == [
        "Tension headaches at the end of the working day",
        "Gentle shoulder exercises between sessions",
    ]


@pytest.mark.django_db
def test_booking_call_to_action_names_the_service_and_the_article(client, soup, article):
    page = soup(client.get(article.url))
    button = page.select_one(".booking-cta a.button")
    url = urlsplit(button["href"])
    query = parse_qs(url.query)
    cta = next(b for b in article.body if b.block_type == "booking_cta")
    assert url.path == reverse("booking:start")
    assert query == {"service": [cta.value["service"].slug], "source": [str(article.pk)]}
    assert client.get(button["href"])["Location"] == reverse("booking:time")


@pytest.mark.django_db
def test_a_doctor_callout_and_the_references_are_shown(client, soup, article):
    page = soup(client.get(article.url))
    assert page.select_one(".callout--doctor")
    references = page.select(".references li")
    assert len(references) == 4
    # One reference has no address: it is listed without a link.
    assert [a["href"] for a in page.select(".references a")] == [
        "https://example.org/sleep",
        "https://example.org/shoulder",
        "https://example.org/pillows",
    ]


@pytest.mark.django_db
def test_unknown_article_is_a_friendly_404(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert b"find that page" in response.content
