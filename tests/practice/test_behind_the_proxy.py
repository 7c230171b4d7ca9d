"""Behind nginx: the visitor's address from X-Real-IP, believed only from TRUSTED_PROXIES."""

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from practice.middleware import ProxyClientAddressMiddleware


def _seen_address(settings, remote: str, **headers) -> str:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    ProxyClientAddressMiddleware(view)(request)
    return seen["address"]


def test_the_proxys_header_names_the_visitor(settings):
    assert _seen_address(settings, "127.0.0.1", HTTP_X_REAL_IP="203.0.113.7") == "203.0.113.7"
    assert _seen_address(settings, "127.0.0.1", HTTP_X_REAL_IP="2001:db8::1") == "2001:db8::1"


def test_a_visitor_who_is_not_the_proxy_cannot_choose_their_address(settings):
    assert _seen_address(settings, "198.51.100.4", HTTP_X_REAL_IP="203.0.113.7") == "198.51.100.4"


@pytest.mark.parametrize("header", [{}, {"HTTP_X_REAL_IP": "not an address"}])
def test_without_a_usable_header_the_connections_address_stands(settings, header):
    assert _seen_address(settings, "127.0.0.1", **header) == "127.0.0.1"


def test_without_trusted_proxies_the_middleware_stays_out_of_the_way(settings):
    settings.TRUSTED_PROXIES = []
    with pytest.raises(MiddlewareNotUsed):
        ProxyClientAddressMiddleware(lambda request: HttpResponse())


@pytest.mark.django_db
def test_the_booking_limit_counts_each_visitor_behind_the_proxy_apart(settings, client):
    from booking import ratelimit

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for address in ["203.0.113.7", "203.0.113.7", "203.0.113.8"]:
        client.get("/robots.txt", HTTP_X_REAL_IP=address)
    factory = RequestFactory()

    def counted(address: str) -> int:
        request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=address)
        ProxyClientAddressMiddleware(lambda r: HttpResponse())(request)
        ratelimit.allow(request, scope="drill", limit=10, window_seconds=3600)
        return ratelimit.count(request, scope="drill", window_seconds=3600)

    assert [counted("203.0.113.7"), counted("203.0.113.7"), counted("203.0.113.8")] == [1, 2, 1]


@pytest.mark.django_db
def test_a_form_sent_from_the_sites_own_address_passes_though_nginx_drops_the_port(settings):
    """nginx passes ``Host $host`` (no port); the browser's Origin keeps SITE_URL's port."""
    from urllib.parse import urlsplit

    from django.test import Client

    from booking.models import Service

    site = urlsplit(settings.SITE_URL)
    assert site.port  # the tests' SITE_URL names a port, as the demo's and the drill's do
    browser = Client(enforce_csrf_checks=True)
    secure = site.scheme == "https"
    browser.get("/book/", secure=secure, HTTP_HOST=site.hostname)
    form = {
        "service": Service.objects.first().pk,
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }

    def sent_from(origin: str) -> int:
        return browser.post(
            "/book/", form, secure=secure, HTTP_HOST=site.hostname, HTTP_ORIGIN=origin
        ).status_code

    assert sent_from(settings.SITE_URL) == 302
    assert sent_from("https://evil.example") == 403
