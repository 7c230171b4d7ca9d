"""The one page cache: keyed by the site's own address, never holding a form's token, refusing
per-process caches in production; Wagtail's password form works through it."""

import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from wagtail.models import PageViewRestriction

from practice import checks, page_cache
from practice.settings.env import caches_from_url


def kept_pages() -> int:
    return sum(":page:" in key for key in caches["pages"]._cache)


def csrf_input(response) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1]


@pytest.fixture
def about_behind_password(home):
    about = home.get_children().get(slug="about")
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="cedar"
    )
    return about, restriction


@pytest.mark.django_db
def test_ports_and_spellings_of_the_host_share_one_entry(client, django_assert_num_queries):
    for port in ("", ":80", ":8000", ":12345", ":65535"):
        assert client.get("/faq/", HTTP_HOST=f"testserver{port}").status_code == 200
    assert kept_pages() == 1
    with django_assert_num_queries(0):
        assert client.get("/faq/", HTTP_HOST="testserver:999").status_code == 200


@pytest.mark.django_db
def test_a_host_the_site_does_not_serve_is_refused_even_for_a_kept_page(client):
    client.get("/faq/")
    assert client.get("/faq/", HTTP_HOST="attacker.example").status_code == 400


@pytest.mark.django_db
def test_made_up_parameters_are_answered_but_never_kept(client, subtests):
    client.get("/faq/")
    for query in ("utm_source=x", "page=2", "topic=neck-pain", "a=1&b=2", "x=" + "y" * 90):
        with subtests.test(query=query):
            assert client.get(f"/faq/?{query}").status_code in (200, 404)
    assert kept_pages() == 1


@pytest.mark.django_db
def test_the_key_changes_with_the_settings_pages_depend_on(settings, rf):
    request = rf.get("/faq/")
    keys = {page_cache.page_key(request)}
    settings.SITE_URL = "https://clinic.example"
    keys.add(page_cache.page_key(request))
    settings.TIME_ZONE = "Europe/Dublin"
    keys.add(page_cache.page_key(request))
    settings.LANGUAGE_CODE = "en-gb"
    keys.add(page_cache.page_key(request))
    assert len(keys) == 4


@pytest.mark.django_db
def test_a_password_protected_page_asks_for_its_password_and_opens_with_it(
    client, about_behind_password
):
    about, restriction = about_behind_password
    form = client.get("/about/")
    assert form.status_code == 200
    assert b'type="password"' in form.content
    assert "practice/standard_page.html" not in [t.name for t in form.templates]

    opened = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{about.pk}/",
        {"password": "cedar", "return_url": "/about/", "csrfmiddlewaretoken": csrf_input(form)},
        follow=True,
    )
    assert opened.status_code == 200
    assert b'type="password"' not in opened.content
    assert "practice/standard_page.html" in [t.name for t in opened.templates]


@pytest.mark.django_db
def test_a_page_with_a_form_after_a_malformed_csrf_cookie_gives_the_next_visitor_their_own(
    client_factory, about_behind_password
):
    first = client_factory()
    first.cookies["csrftoken"] = "not-a-valid-token"
    seen = first.get("/about/")
    assert seen.status_code == 200

    second = client_factory()
    theirs = second.get("/about/")
    assert theirs.status_code == 200
    assert "csrftoken" in theirs.cookies  # rendered for them, with their own token
    assert theirs.cookies["csrftoken"].value != seen.cookies["csrftoken"].value
    assert kept_pages() == 0


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def test_production_refuses_a_cache_kept_in_one_process(settings):
    settings.DEBUG = False
    settings.CACHES = caches_from_url("locmem:")
    assert {error.id for error in checks.cache_shared_by_every_process()} == {"practice.E001"}
    settings.CACHES = caches_from_url("db:")
    assert checks.cache_shared_by_every_process() == []
    settings.CACHES = caches_from_url("file:")
    assert checks.cache_shared_by_every_process() == []
    settings.CACHES = caches_from_url("redis://127.0.0.1:6379/0")
    assert checks.cache_shared_by_every_process() == []
    settings.DEBUG = True
    settings.CACHES = caches_from_url("locmem:")
    assert checks.cache_shared_by_every_process() == []


def test_the_check_stops_a_server_started_with_a_per_process_cache(settings):
    settings.DEBUG = False
    settings.SILENCED_SYSTEM_CHECKS = []
    settings.CACHES = caches_from_url("locmem:")
    with pytest.raises(SystemCheckError, match=r"practice\.E001"):
        call_command("check", tags=["caches"])


def test_pages_and_rate_limits_live_apart_from_sessions():
    redis = caches_from_url("redis://127.0.0.1:6379/2")
    assert redis["default"]["LOCATION"].endswith("/2")
    assert redis["pages"]["LOCATION"].endswith("/3")
    assert redis["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    database = caches_from_url("db:")
    tables = {alias: config["LOCATION"] for alias, config in database.items()}
    assert len(set(tables.values())) == 3
    files = caches_from_url("file:///var/cache/practice")
    assert files["pages"]["LOCATION"] == "/var/cache/practice/pages"
    assert files["default"]["LOCATION"] == "/var/cache/practice/default"
    assert files["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
