"""What every public page shows around its content: the practice's details and navigation,
loaded once a request."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Site

from .models import PracticeSettings
from .page_queries import without_view_restrictions

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
    """The practice details and navigation for the request's site, kept on the request."""
    if request is None:
        return None
    if not hasattr(request, "_site_chrome"):
        site = Site.find_for_request(request)
        request._site_chrome = _load(site) if site is not None else None
    return request._site_chrome


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
