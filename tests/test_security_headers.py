"""Headers per area: public pages, booking steps, the manage link and the admin."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token

# The tests' own site (tests/conftest.py ``own_site``), not the demo's, for every test with the
# database.
pytestmark = pytest.mark.usefixtures("own_site")


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/articles/", "/articles/sleeping-with-a-sore-shoulder/", "/faq/", "/nope/"]
)
def test_public_pages_have_a_strict_policy(client, url):
    response = client.get(url)
    policy = csp(response)
    assert_common_headers(response)
    assert response["X-Frame-Options"] == "DENY"
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    everything = " ".join(" ".join(v) for v in policy.values())
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert "http" not in everything  # no third-party source
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_public_pages_have_no_inline_code_the_policy_would_block(client, soup):
    for url in ["/", "/articles/sleeping-with-a-sore-shoulder/", "/book/"]:
        page = soup(client.get(url))
        assert not page.select("[style]")
        assert not page.select("style")
        for script in page.select("script"):
            assert script.get("type") == "application/ld+json"
        assert not any(attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)


@pytest.mark.django_db
@pytest.mark.usefixtures("practice")
def test_booking_steps_and_the_manage_link_are_never_stored(client):
    appointment = book(start=local(next_weekday(0), 10))
    for url in [
        "/book/",
        "/book/time/",
        reverse("booking:manage", args=[manage_token(appointment)]),
    ]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert_common_headers(response)
        assert csp(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_admin_has_its_own_looser_policy_and_is_never_stored(admin_client):
    response = admin_client.get("/admin/")
    policy = csp(response)
    assert_common_headers(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "no-store" in response["Cache-Control"]
    login = admin_client.get("/admin/login/")
    assert "no-store" in login["Cache-Control"]


def test_check_deploy_reports_nothing_with_production_settings():
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "practice.settings.production",
        "SECRET_KEY": "k7#" + "x9Lq2!vB" * 8,
        "ALLOWED_HOSTS": "clinic.example",
        "SITE_URL": "https://clinic.example",
        "DATABASE_URL": "sqlite:///:memory:",
        "EMAIL_URL": "smtp://mailer:secret@mail.example:587?tls=1",
        "INTAKE_ENCRYPTION_KEYS": "6-JdI7_q1sx7woYllyjKiWT-x9YwetrTm-Sr_3LvuWo=",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_previews_inside_the_admin_can_be_framed_by_the_admin(admin_client, article):
    from tests.factories.articles import article_form_data

    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    admin_client.post(url, article_form_data(title="Preview me", slug=article.slug))
    response = admin_client.get(url, {"in_preview_panel": "true"})
    assert b"Preview me" in response.content
    assert csp(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_the_admin_s_sign_in_pages_allow_no_inline_script_and_have_none(client):
    from bs4 import BeautifulSoup

    for url in ["/admin/login/", "/admin/password_reset/", "/admin/password_reset/done/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert csp(response)["script-src"] == ["'self'"], url
        page = BeautifulSoup(response.content, "html.parser")
        inline = [s for s in page.find_all("script") if not s.get("src")]
        assert all(s.get("type") == "application/json" for s in inline), url
        assert not [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")]
