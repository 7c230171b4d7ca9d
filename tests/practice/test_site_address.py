"""One address for the site: pages, feed, sitemap, structured data and emails all follow
SITE_URL, whatever port the demo is served on."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from booking.emails import manage_url
from booking.models import Appointment
from tests.clock import local, next_weekday
from tests.factories.bookings import book

ADDRESS = "http://127.0.0.1:8101"


@pytest.fixture
def served_on_8101(settings):
    settings.SITE_URL = ADDRESS
    call_command("sync_site_url", stdout=io.StringIO())
    return ADDRESS


@pytest.mark.django_db
def test_the_site_record_follows_site_url_and_says_so_once(settings, capsys):
    settings.SITE_URL = "https://acupuncture.example"
    call_command("sync_site_url")
    call_command("sync_site_url")
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://acupuncture.example"
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Site address: https://acupuncture.example",
        "Site address: https://acupuncture.example (unchanged)",
    ]


@pytest.mark.django_db
def test_every_public_link_names_the_address_the_site_is_served_on(
    client, soup, home, article, served_on_8101
):
    page = soup(client.get(article.url))
    assert page.select_one('link[rel="canonical"]')["href"].startswith(ADDRESS + "/")
    assert page.select_one('meta[property="og:url"]')["content"].startswith(ADDRESS + "/")
    structured = "".join(s.get_text() for s in page.select('script[type="application/ld+json"]'))
    assert ADDRESS + "/" in structured and ":8000" not in structured

    for url in ["/sitemap.xml", "/robots.txt", article.get_parent().url + "feed/"]:
        body = client.get(url).content.decode()
        assert ADDRESS in body and ":8000" not in body, url


@pytest.mark.django_db
@pytest.mark.usefixtures("practice")
def test_the_emails_links_name_the_same_address(served_on_8101):
    appointment = book(start=local(next_weekday(0), 10))
    assert manage_url(Appointment.objects.get(pk=appointment.pk)).startswith(ADDRESS + "/")
