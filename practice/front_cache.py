"""The reverse proxy's page cache (nginx in deploy/nginx/practice.conf), kept in step with
Django's own: docs/architecture.md, "The front cache".

Django decides what nginx may keep: a page the page cache would store for anonymous
visitors gets an ``X-Accel-Expires`` header, which nginx reads and never passes on; nothing
else is kept, and nginx keeps no address with a query string (the article index's topic
and page numbers stay with Django's page cache). Whenever the page cache forgets
everything, nginx is told to forget every address it may hold, when the change commits:
each live page's addresses (Wagtail's ``get_cached_paths``) under ``SITE_URL``, the sitemap,
robots.txt, and
the old address of a page unpublished, moved or deleted, each with a ``PURGE`` through
Wagtail's frontend-cache HTTP backend. (Debian's nginx purge module, 2.3, purges one
address a request: it has no wildcard.)
"""

from __future__ import annotations

import logging
import threading
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page

logger = logging.getLogger(__name__)

HEADER = "X-Accel-Expires"


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP backend with a time limit: a proxy that does not answer must never
    hold up the save that asked for the purge. Wagtail's own waits without one."""

    timeout_seconds = 2

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        request = PurgeRequest(
            url=urlunsplit((self.cache_scheme, self.cache_netloc, parts.path, parts.query, "")),
            headers={"Host": parts.netloc, "User-Agent": "practice-front-cache"},
        )
        try:
            with urlopen(request, timeout=self.timeout_seconds):
                pass
        except HTTPError as error:
            # 404 is the purge module's "nothing was kept there": nothing to forget.
            if error.code != 404:
                logger.warning("The front cache did not forget %s: HTTP %s", url, error.code)
        except (URLError, OSError) as error:
            logger.warning("The front cache did not forget %s: %s", url, error)


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def mark_keepable(response, seconds: int) -> None:
    """Let the front cache keep ``response`` for ``seconds`` (only when there is one)."""
    if configured():
        response[HEADER] = str(seconds)


def forget_everything(instance=None, url_path_before: str | None = None, **kwargs) -> None:
    """Tell the front cache to forget every page once the current transaction commits
    (at once outside one); ``instance`` is a page whose address may be going away."""
    if not configured():
        return
    if isinstance(instance, Page):
        _pending.addresses.update(_addresses_now(instance, url_path_before))
    _pending.due = True
    # A change sends several signals: the first callback to run purges, the others find
    # nothing due. One rolled back leaves "due" set, and the next change purges it all.
    transaction.on_commit(_purge_site)


class _Pending(threading.local):
    def __init__(self):
        self.addresses: set[str] = set()
        self.due = False


_pending = _Pending()


def _addresses_now(page: Page, url_path_before: str | None) -> set[str]:
    """The page's addresses as they are before the change: a moved page's old one too."""
    found = set(_page_addresses(page))
    site = page.get_site()
    if url_path_before and site is not None:
        root = site.root_page.url_path
        if url_path_before.startswith(root):
            found.add(_address("/" + url_path_before[len(root) :]))
    return found


def site_addresses() -> set[str]:
    """Every address of the site nginx may be keeping."""
    found = {_address("/sitemap.xml"), _address("/robots.txt")}
    for page in Page.objects.live().specific().iterator():
        found.update(_page_addresses(page))
    return found


def _page_addresses(page: Page) -> list[str]:
    # Under SITE_URL, the address visitors (and so nginx's keys) use; Wagtail's Site record
    # names the same host once `manage.py sync_site_url` has run.
    parts = page.get_url_parts()
    if parts is None:
        return []
    path = parts[2]
    return [_address(path + extra.lstrip("/")) for extra in page.get_cached_paths()]


def _address(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _purge_site() -> None:
    if _pending.due:
        purge_site_now()


def purge_site_now() -> int:
    """Forget every address now; how many there were."""
    addresses = site_addresses() | _pending.addresses
    _pending.addresses, _pending.due = set(), False
    for backend in get_backends().values():
        backend.purge_batch(sorted(addresses))
    return len(addresses)
