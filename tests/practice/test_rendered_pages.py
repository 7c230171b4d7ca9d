"""Pages rendered for visitors with a session: their shared parts kept per revision
(practice/fragments.py), their routes remembered (practice/routing.py), never anything
personal from the cache, never a stale page after a change."""

import pytest
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from wagtail.models import PageViewRestriction

from booking.models import Service
from practice import fragments
from tests.factories import article_form_data


@pytest.fixture
def booking_visitor(client, site):
    """A browser halfway through booking: every request carries the session cookie."""
    client.post("/book/", {"service": Service.objects.filter(is_active=True).first().pk})
    assert "sessionid" in client.cookies
    return client


@pytest.mark.django_db
def test_a_visitor_with_a_session_gets_pages_without_a_query(
    booking_visitor, article, django_assert_num_queries, subtests
):
    for url in ["/", "/articles/", "/articles/?topic=shoulder-pain", article.url, "/about/"]:
        with subtests.test(url=url):
            first = booking_visitor.get(url)
            with django_assert_num_queries(0):
                again = booking_visitor.get(url)
            assert again.status_code == 200
            assert again.templates  # rendered for them, not the anonymous page cache's copy
            assert again.content == first.content


@pytest.mark.django_db
def test_a_publish_shows_at_once_to_a_visitor_with_a_session(
    booking_visitor, admin_client, article, django_capture_on_commit_callbacks
):
    booking_visitor.get(article.url)
    booking_visitor.get("/articles/")
    data = article_form_data(title="A title published a moment ago", slug=article.slug)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/pages/{article.pk}/edit/", {**data, "action-publish": "action-publish"}
        )
    assert b"A title published a moment ago" in booking_visitor.get(article.url).content
    assert b"A title published a moment ago" in booking_visitor.get("/articles/").content


@pytest.mark.django_db
def test_a_remembered_route_still_checks_the_page_privacy(
    booking_visitor, article, django_capture_on_commit_callbacks
):
    assert booking_visitor.get(article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    response = booking_visitor.get(article.url)
    assert b'name="password"' in response.content
    assert article.title.encode() not in response.content.split(b"<main")[0]


@pytest.mark.django_db
def test_a_search_and_the_booking_pages_are_never_kept(booking_visitor):
    request = RequestFactory().get("/articles/", {"q": "shoulder"})
    assert fragments.fragment_key(request, "main", "sitewide") is None
    booking = booking_visitor.get("/book/time/")
    assert booking.status_code == 200
    match = booking.wsgi_request.resolver_match
    assert match.url_name != "wagtail_serve"
    assert fragments.fragment_key(booking.wsgi_request, "main", None) is None


@pytest.mark.django_db
def test_a_fragment_that_asks_for_a_csrf_token_or_a_nonce_is_shown_but_never_kept(article, rf):
    template = Template(
        '{% load practice_tags %}{% shared_fragment "form" "sitewide" %}'
        "<form>{% csrf_token %}</form>{% endshared_fragment %}"
    )
    first, second = rf.get("/"), rf.get("/")
    # As Django's csrf context processor gives it: asked for only when the tag renders.
    token = SimpleLazyObject(lambda: get_token(first))
    html = template.render(Context({"request": first, "csrf_token": token}))
    assert "csrfmiddlewaretoken" in html
    key = fragments.fragment_key(second, "form", "sitewide")
    assert key is not None
    assert cache.get(key) is None


@pytest.mark.django_db
def test_made_up_query_strings_keep_nothing(booking_visitor, article):
    response = booking_visitor.get(article.url + "?utm_source=newsletter-1")
    assert response.status_code == 200
    assert fragments.fragment_key(response.wsgi_request, "main", article) is None
    known = booking_visitor.get("/articles/?page=1").wsgi_request
    assert fragments.fragment_key(known, "main", article) is not None
