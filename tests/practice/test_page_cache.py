"""The anonymous page cache: served without a query, never stale, never personal."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import LazyNonce
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from blog.models import Topic
from booking.models import Service
from practice import page_cache
from practice.models import PracticeSettings, PractitionerProfile
from tests.factories.articles import article_form_data, make_article

CACHED_PAGES = [
    "/",
    "/articles/",
    "/articles/?topic=shoulder-pain",
    "/about/",
    "/faq/",
    "/articles/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/practitioners/rosa-lind/",
]
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Content-Type",
]


def served_from_cache(client, url, django_assert_num_queries) -> bytes:
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    return second.content


def rendered(client, url) -> bool:
    """Whether a request for ``url`` was rendered, rather than served from the page cache."""
    response = client.get(url)
    assert response.status_code == 200
    return bool(response.templates)


@pytest.mark.django_db
def test_second_anonymous_request_is_served_without_a_query(
    client, article, django_assert_num_queries, subtests
):
    for url in [*CACHED_PAGES, article.url]:
        with subtests.test(url=url):
            served_from_cache(client, url, django_assert_num_queries)


@pytest.mark.django_db
def test_head_requests_are_answered_from_the_cached_page(client, django_assert_num_queries):
    client.get("/faq/")
    with django_assert_num_queries(0):
        response = client.head("/faq/")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_cached_pages_carry_the_same_security_headers_and_no_nonce(client, article):
    for url in ["/", article.url, "/articles/?topic=shoulder-pain"]:
        fresh = client.get(url)
        cached = client.get(url)
        for header in SECURITY_HEADERS:
            assert cached.headers[header] == fresh.headers[header], (url, header)
        assert "nonce-" not in cached.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in cached.headers["Content-Security-Policy"]
        assert "Set-Cookie" not in cached.headers


@pytest.mark.django_db
def test_a_logged_in_editor_never_gets_the_cached_page(client, admin_client, article):
    client.get(article.url)  # cached for anonymous visitors
    assert not client.get(article.url).templates  # a cached page renders no template

    # Rendered for the editor.
    editor = admin_client.get(article.url)
    assert "blog/article_page.html" in [template.name for template in editor.templates]
    # ... and what was rendered for the editor is not kept for anyone else.
    caches["pages"].clear()
    admin_client.get("/about/")
    assert rendered(client, "/about/")


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_served_fresh_pages(client):
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk})  # a booking in progress, in the session
    assert page_cache.settings.SESSION_COOKIE_NAME in client.cookies
    client.get("/faq/")
    # Rendered for them.
    assert client.get("/faq/").templates


@pytest.mark.django_db
def test_what_is_never_cached(client, subtests):
    for url in [
        "/book/",  # per visitor, no-store
        "/articles/?q=shoulder",  # the search index changes after publishing
        "/articles/?utm_source=newsletter",  # parameters the site does not know
        "/admin/login/",
    ]:
        with subtests.test(url=url):
            client.get(url)
            assert rendered(client, url)
    with subtests.test(url="a page that is not there"):
        assert client.get("/no-such-page/").status_code == 404
        assert not caches["pages"].get(page_cache.page_key(_request("/no-such-page/")))


def _request(path, **extra):
    request = RequestFactory().get(path, **extra)
    request._csp_nonce = LazyNonce()
    return request


def _through_middleware(request, response) -> HttpResponse:
    from django.urls import resolve

    def view(req):
        req.resolver_match = resolve("/about/")
        return response

    return page_cache.PageCacheMiddleware(view)(request)


@pytest.mark.django_db
def test_responses_that_are_personal_or_one_off_are_not_kept():
    cookie = HttpResponse("hello")
    cookie.set_cookie("csrftoken", "x")
    private = HttpResponse("hello", headers={"Cache-Control": "private"})
    varies = HttpResponse("hello", headers={"Vary": "Accept-Language"})

    for response in (cookie, private, varies):
        request = _request("/about/")
        _through_middleware(request, response)
        assert caches["pages"].get(page_cache.page_key(request)) is None

    plain = _request("/about/")
    _through_middleware(plain, HttpResponse("hello"))
    assert caches["pages"].get(page_cache.page_key(plain)) is not None


@pytest.mark.django_db
def test_a_response_that_used_the_csp_nonce_is_not_kept():
    request = _request("/about/")
    response = HttpResponse("<script nonce='x'></script>")
    str(request._csp_nonce)  # the template asked for the nonce

    _through_middleware(request, response)

    assert caches["pages"].get(page_cache.page_key(request)) is None


@pytest.mark.django_db
def test_publishing_from_the_editor_shows_at_once(client, admin_client, article):
    for url in (article.url, "/articles/", "/articles/feed/", "/"):
        client.get(url)
    data = article_form_data(title="A newly published title", slug=article.slug)

    admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**data, "action-publish": "action-publish"},
    )

    for url in (article.url, "/articles/", "/articles/feed/"):
        assert b"A newly published title" in client.get(url).content, url


@pytest.mark.django_db
def test_saving_a_draft_does_not_change_what_visitors_see(client, admin_client, article):
    client.get(article.url)
    data = article_form_data(title="Only a draft", slug=article.slug)
    admin_client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert b"Only a draft" not in client.get(article.url).content


@pytest.mark.django_db
def test_a_new_article_appears_at_once(client, site):
    urls = ("/", "/articles/", "/articles/?topic=shoulder-pain", "/articles/feed/")
    for url in urls:
        assert b"Fresh off the press" not in client.get(url).content, url

    make_article(
        index=site.index, title="Fresh off the press", topics=[site.topics["shoulder-pain"]]
    )

    for url in urls:
        assert b"Fresh off the press" in client.get(url).content, url


@pytest.mark.django_db
def test_unpublishing_and_deleting_show_at_once(client, site, article):
    url = article.url
    for page in (url, "/articles/", "/sitemap.xml"):
        client.get(page)

    article.unpublish()

    assert client.get(url).status_code == 404
    assert article.title.encode() not in client.get("/articles/").content
    assert url.encode() not in client.get("/sitemap.xml").content

    other = site.articles[1]
    client.get(other.url)
    other.delete()
    assert client.get(other.url).status_code == 404


@pytest.mark.django_db
def test_moving_a_page_shows_at_once(client, home):
    about = home.get_children().get(slug="about")
    faq = home.get_children().get(slug="faq")
    client.get("/about/")
    client.get("/faq/")

    about.move(faq, pos="last-child")

    # Wagtail leaves a redirect from the old address; the cached page is gone.
    assert client.get("/about/").status_code == 301
    assert client.get("/faq/about/").status_code == 200


@pytest.mark.django_db
def test_a_scheduled_article_appears_at_once_when_it_goes_live(client, admin_client, site):
    index = site.index
    go_live = timezone.now() + dt.timedelta(days=2)
    data = article_form_data(title="Coming next week", slug="coming-next-week")
    data["go_live_at"] = timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")
    admin_client.post(
        reverse("wagtailadmin_pages:add", args=["blog", "articlepage", index.pk]),
        {**data, "action-publish": "action-publish"},
    )
    assert b"Coming next week" not in client.get("/articles/").content

    with time_machine.travel(go_live + dt.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)

    assert b"Coming next week" in client.get("/articles/").content


@pytest.mark.django_db
def test_a_page_made_private_is_no_longer_served_from_the_cache(client, home):
    about = home.get_children().get(slug="about")
    client.get("/about/")

    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = client.get("/about/")
    assert b"password" in response.content.lower()


@pytest.mark.django_db
def test_settings_and_snippets_show_at_once(client, site, article, subtests):
    assert b"(555) 010-2323" in client.get("/").content
    assert b"Rosa Lind" in client.get(article.url).content
    assert b"Shoulder pain" in client.get("/articles/").content

    with subtests.test("practice details"):
        practice = PracticeSettings.objects.get()
        practice.phone = "(555) 010-9999"
        practice.save()
        assert b"(555) 010-9999" in client.get("/").content

    with subtests.test("practitioner profile"):
        profile = PractitionerProfile.objects.get(pk=site.author.pk)
        profile.name = "Rosa Lind-Berg"
        profile.save()
        assert b"Rosa Lind-Berg" in client.get(article.url).content

    with subtests.test("topic"):
        topic = Topic.objects.get(pk=site.topics["shoulder-pain"].pk)
        topic.name = "Sore shoulders"
        topic.save()
        assert b"Sore shoulders" in client.get("/articles/").content


@pytest.mark.django_db
def test_a_redirect_is_a_change_too(client):
    client.get("/faq/")
    Redirect.objects.create(old_path="/old-faq", redirect_link="/faq/")
    assert rendered(client, "/faq/")


@pytest.mark.django_db
def test_pages_are_forgotten_again_when_the_change_commits(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
        # A visitor served from the rows as they were before the commit...
        caches["pages"].set(page_cache.page_key(_request(article.url)), (200, [], b"old"))

    # ... is not what the next visitor gets.
    assert client.get(article.url).status_code == 404
