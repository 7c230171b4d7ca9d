"""Every practitioner has a public profile, and the site leads to it: the home page, the
About page, the articles they wrote or reviewed, and the first booking step."""

import pytest
from django.conf import settings

from booking.models import Practitioner
from practice.page_cache import forget_pages
from tests.factories.practice import practitioner
from tests.practice.test_page_cache import served_from_cache

pytestmark = pytest.mark.django_db

ROSA = "/practitioners/rosa-lind/"
OMAR = "/practitioners/omar-haddad/"


def links(soup_page) -> set[str]:
    return {a["href"] for a in soup_page.select("main a[href]")}


def test_profile_shows_who_they_are_and_what_they_give(client, soup):
    page = soup(client.get(ROSA))
    assert page.h1.get_text(" ", strip=True) == "Rosa Lind , L.Ac."
    text = page.main.get_text(" ", strip=True)
    assert "Rosa Lind treats back and neck pain." in text
    assert "Licensed Acupuncturist, Vermont" in text
    assert "Diplomate of Acupuncture, NCCAOM" in text
    portrait = page.select_one(".profile-page__photo img")
    assert portrait["alt"] == "A plain square standing in for Rosa Lind's photo"
    booking = {a.get_text(strip=True): a["href"] for a in page.select(".profile-page__book a")}
    assert booking == {
        "New patient visit": "/book/?service=new-patient-visit&practitioner=rosa-lind",
        "Follow-up treatment": "/book/?service=follow-up-treatment&practitioner=rosa-lind",
        "Follow-up with electroacupuncture": (
            "/book/?service=electroacupuncture&practitioner=rosa-lind"
        ),
    }


def test_profile_lists_the_articles_they_wrote(client, soup, article):
    titles = [a.get_text(strip=True) for a in soup(client.get(ROSA)).select(".link-list a")]
    assert article.title in titles
    assert not soup(client.get(OMAR)).select(".link-list a")


def test_a_practitioner_who_takes_no_bookings_keeps_a_profile_without_booking_links(client, soup):
    Practitioner.objects.filter(profile__slug="omar-haddad").update(is_active=False)
    page = soup(client.get(OMAR))
    assert not page.select(".profile-page__book a[href^='/book/']")
    assert "is not taking bookings online" in page.select_one(".profile-page__book").text
    assert OMAR not in links(soup(client.get("/")))


def test_unknown_profile_is_the_sites_own_404(client, soup):
    response = client.get("/practitioners/nobody-here/")
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "We couldn\u2019t find that page"


def test_every_bookable_practitioner_is_linked_from_the_home_page(client, soup):
    page = soup(client.get("/"))
    assert {ROSA, OMAR} <= links(page)
    names = [h.get_text(strip=True) for h in page.select(".person__name")]
    assert names == ["Rosa Lind, L.Ac.", "Omar Haddad"]  # the home page's own first


def test_about_page_links_its_practitioner(client, soup):
    assert ROSA in links(soup(client.get("/about/")))


def test_article_links_its_author_and_reviewer(client, soup, article):
    facts = soup(client.get(article.url)).select_one(".article__facts")
    assert [a["href"] for a in facts.select("a")] == [ROSA, ROSA]


def test_first_booking_step_links_each_practitioner_in_a_new_tab(client, soup):
    notes = soup(client.get("/book/")).select(".service-notes a")
    assert {a["href"] for a in notes} == {ROSA, OMAR}
    assert all(a["target"] == "_blank" for a in notes)


def test_a_profile_booking_link_chooses_that_practitioner(client):
    response = client.get("/book/?service=follow-up-treatment&practitioner=omar-haddad")
    assert response.status_code == 302 and response["Location"] == "/book/time/"
    assert client.session["booking"]["practitioner_id"] == practitioner("omar-haddad").pk
    # Someone who does not give the session, or no one known, is "first available".
    client.get("/book/?service=new-patient-visit&practitioner=omar-haddad")
    assert client.session["booking"]["practitioner_id"] is None
    client.get("/book/?service=follow-up-treatment&practitioner=%00nobody")
    assert client.session["booking"]["practitioner_id"] is None


def test_profiles_are_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in (ROSA, OMAR):
        assert f"<loc>{settings.SITE_URL}{path}</loc>" in sitemap
    assert f"<loc>{settings.SITE_URL}/about/</loc>" in sitemap


def test_a_cached_profile_is_forgotten_when_its_practitioner_stops_taking_bookings(
    client, soup, django_assert_num_queries
):
    cached = served_from_cache(client, OMAR, django_assert_num_queries)
    assert b"Book with Omar Haddad" in cached
    omar = practitioner("omar-haddad")
    omar.is_active = False
    omar.save()
    assert "is not taking bookings online" in soup(client.get(OMAR)).text


def test_profile_runs_a_fixed_number_of_queries(client, article, django_assert_max_num_queries):
    client.get(ROSA)
    forget_pages()
    with django_assert_max_num_queries(8):
        assert client.get(ROSA).status_code == 200
