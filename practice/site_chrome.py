"""What every public page shows around its content: the practice's details and navigation.

Loaded once and kept in Django's cache until something it shows changes (a page
published, unpublished, moved or deleted; the practice details saved), so a page
view does not pay for it in queries. With several app servers, point the
``default`` cache at a shared store (see the README) so they forget together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from wagtail.models import Site

from .models import PracticeSettings
from .page_queries import without_view_restrictions
from .routing import site_for_request

CACHE_KEY = "practice:site-chrome:{site_id}"
CACHE_SECONDS = 60 * 60 * 24
# The page every article links to as its medical disclaimer (a page at the top of the site).
DISCLAIMER_SLUG = "medical-disclaimer"


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    url_path: str
    show_in_menus: bool


@dataclass(frozen=True)
class SiteChrome:
    practice: PracticeSettings
    header: list[NavItem]
    footer: list[NavItem]
    disclaimer_url: str | None = None


def site_chrome(request) -> SiteChrome | None:
    """The practice details and navigation for the request's site, cached on the request."""
    if request is None:
        return None
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        site = site_for_request(request)
        if site is None:
            return None
        key = CACHE_KEY.format(site_id=site.pk)
        chrome = cache.get(key)
        if chrome is None:
            chrome = _load(site)
            cache.set(key, chrome, CACHE_SECONDS)
        request._site_chrome = chrome
    return chrome


def _load(site: Site) -> SiteChrome:
    practice = PracticeSettings.for_site(site)
    children = without_view_restrictions(site.root_page.get_children().live())
    items = [
        NavItem(
            title=page.title,
            url=page.get_url(),
            url_path=page.url_path,
            show_in_menus=page.show_in_menus,
        )
        for page in children
    ]
    disclaimer = next((i for i in items if i.url_path.endswith(f"/{DISCLAIMER_SLUG}/")), None)
    return SiteChrome(
        practice=practice,
        header=[item for item in items if item.show_in_menus],
        footer=items,
        disclaimer_url=disclaimer.url if disclaimer else None,
    )


def forget_site_chrome(**kwargs) -> None:
    for site_id in Site.objects.values_list("pk", flat=True):
        cache.delete(CACHE_KEY.format(site_id=site_id))
