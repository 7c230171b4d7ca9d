"""Wagtail's page serving with the route remembered: which site and page an address leads
to, and the page's view restrictions, are kept under the page cache's version, so a request
for a page already found costs no query before the page renders. docs/architecture.md,
"Rendered pages".

Only the route is kept, never a response: every visitor's page is still rendered for them
(and its restrictions checked against their request). Any publish, move, deletion, privacy
setting or site change renews the version (practice/signals.py), and with it every route.
"""

from __future__ import annotations

import hashlib
import pickle

from django.core.cache import cache
from wagtail.models import Page, Site

from . import page_cache

ROUTE_SECONDS = 60 * 60


def serve(request, path):
    """Wagtail's ``serve`` view, its route first looked up among those remembered."""
    from wagtail import views as wagtail_views  # it loads the page model: not at import

    site_for_request(request)
    key = _route_key(request, path)
    route = cache.get(key) if key else None
    if route is None:
        route = Page.route_for_request(request, path)
        if key and _may_keep(route):
            page = route[0]
            page.view_restrictions_known = list(page.get_view_restrictions())
            cache.set(key, route, ROUTE_SECONDS)
    # Wagtail's own memo of the route for this request (Page.route_for_request's docstring).
    request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)


def site_for_request(request) -> Site | None:
    """The request's Wagtail Site, kept under the version (a Site saved renews it), and
    remembered on the request where Wagtail looks first (Site.find_for_request)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    version = page_cache.version.current()
    if version is None:
        return Site.find_for_request(request)
    host = hashlib.sha256(request._get_raw_host().encode()).hexdigest()
    key = f"practice:site:{version}:{host}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, ROUTE_SECONDS)
    request._wagtail_site = site
    return site


def _route_key(request, path: str) -> str | None:
    if request.method not in ("GET", "HEAD"):
        return None
    version = page_cache.version.current()
    if version is None:
        return None
    address = f"{request.get_host()}/{path}".encode()
    return f"practice:route:{version}:{page_cache.release()}:{hashlib.sha256(address).hexdigest()}"


def _may_keep(route) -> bool:
    """A route to one of our page models that the cache can hold: a routable page's
    sub-view (the index's list, its feed) is a method of the page, pickled with it."""
    if route is None or not isinstance(route[0], KnownRestrictions):
        return False
    try:
        pickle.dumps(route)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


class KnownRestrictions:
    """For page models: view restrictions read once with the remembered route, not on every
    request (Wagtail's ``check_view_restrictions`` hook asks for them each time)."""

    def get_view_restrictions(self):
        known = self.__dict__.get("view_restrictions_known")
        return known if known is not None else super().get_view_restrictions()
