"""No log line carries a live link: Django's logs (the request and security loggers and
their children, the error report) and nginx's access log write "…" for the secret of
every manage, waiting-list and calendar link, and no link puts its secret in a query."""

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from booking.tokens import entry_token, new_secret, offer_token
from practice.errors import TokenMaskingExceptionReporter
from practice.log_masking import masked
from practice.settings import base
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token

SECRET = "c0ffee0123456789abcdef0123456789:Zm9vYmFyLXNlY3JldC1zaWduYXR1cmU"
NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "practice.conf"


def _routes(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _routes(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern, ":".join((*namespaces, pattern.name))


def token_addresses() -> list[str]:
    """An address of every route that takes a token (found, so a new one is covered), and
    the waiting list's old ``?move=`` link."""
    found = set()
    for pattern, name in _routes(get_resolver().url_patterns):
        arguments = pattern.pattern.converters or {}
        if "token" in arguments:
            others = {key: "MTIz" for key in arguments if key != "token"}
            found.add(reverse(name, kwargs={"token": SECRET, **others}))
    assert len(found) >= 12, found  # the manage pages, the waiting list's two, the feed
    return [*sorted(found), reverse("booking:waitlist_join") + f"?move={SECRET}&x=1"]


def nginx_logged(uri: str) -> str:
    """What nginx's access log writes for ``uri``: the map of practice.conf, run here (its
    regular expressions are PCRE; Python's differ only in how a group is named)."""
    block = re.search(
        r"map \$request_uri \$practice_logged_uri \{(.*?)\n\}", NGINX.read_text(), re.S
    )
    for line in block.group(1).strip().splitlines():
        pattern, _, value = line.strip().rstrip(";").partition(" ")
        if pattern == "default":
            return uri
        match = re.search(pattern.lstrip("~").replace("(?<", "(?P<"), uri)
        if match:
            names = match.groupdict()
            return re.sub(r"\$(\w+)", lambda m, n=names: n.get(m[1]) or "", value.strip('"'))
    return uri


def test_every_token_address_is_masked_in_djangos_logs_and_nginxs():
    for address in token_addresses():
        assert SECRET not in masked(f"Not Found: {address}"), address
        assert SECRET not in nginx_logged(address), address
        assert "…" in nginx_logged(address), address


def test_addresses_without_a_secret_are_logged_as_they_are():
    for address in ["/book/waiting-list/", "/book/waiting-list/check/", "/book/time/?day=3"]:
        assert masked(address) == address
        assert nginx_logged(address) == address


def test_every_handler_in_production_logging_masks_tokens():
    assert base.LOGGING["filters"]["token_mask"]["()"] == "practice.log_masking.TokenMask"
    for name, handler in base.LOGGING["handlers"].items():
        assert "token_mask" in handler.get("filters", []), name


@pytest.fixture
def masked_caplog(caplog):
    """caplog behind the filter production's handlers have."""
    mask = import_string(base.LOGGING["filters"]["token_mask"]["()"])()
    caplog.handler.addFilter(mask)
    caplog.set_level(logging.WARNING)
    yield caplog
    caplog.handler.removeFilter(mask)


@pytest.mark.django_db
def test_a_4xx_on_a_token_address_logs_no_token(client, masked_caplog, practice, settings):
    appointment = book(start=local(next_weekday(0) + dt.timedelta(days=7), 10))
    valid = manage_token(appointment)
    tokens = [valid, new_secret()]
    tokens += [entry_token(appointment.public_id), offer_token(appointment.public_id)]
    cache.clear()
    # Wrong links: the waiting list's two kinds and the feed.
    for address in [
        reverse("booking:waitlist_entry", args=[tokens[2]]),
        reverse("booking:waitlist_claim", args=[tokens[3]]),
        reverse("practitioner_calendar", args=[tokens[1]]),
    ]:
        assert client.get(address).status_code in {404, 410}
    # The outside test's case: an address past the guess limit (a refused link is logged
    # as a 429), then the patient's valid link from it.
    for _ in range(settings.TOKEN_GUESSES_PER_HOUR):
        client.get(reverse("booking:manage", args=[tokens[1]]))
    assert client.get(reverse("booking:manage", args=[tokens[1]])).status_code == 429
    assert client.get(reverse("booking:manage", args=[valid])).status_code == 200
    # A refused CSRF check (django.security.csrf) on the cancel link.
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(reverse("booking:cancel", args=[valid])).status_code == 403
    logged = [record.getMessage() for record in masked_caplog.records]
    assert any("Too Many Requests" in m for m in logged)
    assert any(r.name == "django.security.csrf" for r in masked_caplog.records)
    for token in tokens:
        assert not any(token in m for m in logged), token
    cache.clear()


def test_the_error_report_masks_the_link():
    request = RequestFactory().get(f"/book/appointment/{SECRET}/cancel/?move={SECRET}")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        reporter = TokenMaskingExceptionReporter(request, type(error), error, error.__traceback__)
        assert SECRET not in reporter.get_traceback_text()
        assert SECRET not in reporter.get_traceback_html()
