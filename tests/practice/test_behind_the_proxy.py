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
