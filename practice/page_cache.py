"""Whole public pages kept for anonymous visitors, and emptied whenever anything they show
changes (``practice/signals.py``).

The one page cache of the site, on its own cache alias (``pages``), so emptying it forgets
pages and nothing else. A page is kept only when it is the same for every visitor: a GET
without a session cookie, answered 200 without setting a cookie, not private, and at an
address the page really has. Its key is the path and query string under the site's
canonical address (``SITE_URL``), never the request's Host or port, and it changes with the
release and the settings that change what pages say.
"""

from __future__ import annotations

import hashlib
from functools import cache as once
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csp import get_nonce

ALIAS = "pages"
SECONDS = 60 * 60 * 24
# How long nginx's micro-cache may keep a page this cache keeps (deploy/nginx/practice.conf).
FRONT_SECONDS = 60
NEVER_CACHED = ("/admin/", "/book/", "/my/", "/calendar/", "/documents/", "/_util/")
# What a release is made of: a file added, removed or changed gives new keys.
SOURCE_FOLDERS = ("practice", "blog", "booking", "templates", "static")


def forget_pages(**kwargs) -> None:
    caches[ALIAS].clear()


def allow_query(request, **params) -> None:
    """Called by a view that has checked its query parameters: the one spelling of them under
    which its page may be kept (parameters left at their default are left out)."""
    request.page_cache_query = urlencode(sorted((k, v) for k, v in params.items() if v))


class PageCacheMiddleware:
    """Listed after the security middleware (pages served from it get fresh headers) and
    before the session middleware, which pages served from it never need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_read(request):
            return self.get_response(request)
        request.get_host()  # a Host outside ALLOWED_HOSTS is refused before anything is served
        key = page_key(request)
        entry = caches[ALIAS].get(key)
        if entry is not None:
            return _for_the_front_cache(_response_from(entry))
        response = self.get_response(request)
        if request.method == "GET" and _same_for_everyone(request, response):
            caches[ALIAS].set(key, _entry_for(response), SECONDS)
            _for_the_front_cache(response)
        return response


def _anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(NEVER_CACHED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and len(request.META.get("QUERY_STRING", "")) <= 100
    )


def page_key(request) -> str:
    """The address under the site's own, with what changes what every page says."""
    parts = (
        settings.SITE_URL,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        _release(),
        f"{request.path}?{request.META.get('QUERY_STRING', '')}",
    )
    return f"page:{hashlib.sha256(chr(10).join(parts).encode()).hexdigest()}"


def _same_for_everyone(request, response) -> bool:
    return _whole_answer(response) and _public_request(request) and _headers_allow_sharing(response)


def _whole_answer(response) -> bool:
    """A complete 200 that sets no cookie."""
    return response.status_code == 200 and not response.streaming and not response.cookies


def _public_request(request) -> bool:
    """At an address the page really has (no query, or the one its view allowed), not a
    preview, and no nonce given to the page."""
    query = request.META.get("QUERY_STRING", "")
    return (
        (not query or query == getattr(request, "page_cache_query", None))
        and not getattr(request, "is_preview", False)
        and not get_nonce(request)
    )


def _headers_allow_sharing(response) -> bool:
    """Not marked private or uncacheable, and varying on nothing but the cookie."""
    cache_control = response.get("Cache-Control", "").lower()
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    private = any(word in cache_control for word in ("private", "no-store", "no-cache"))
    return not private and vary <= {"cookie"}


def _for_the_front_cache(response):
    if settings.WAGTAILFRONTENDCACHE:
        response["X-Accel-Expires"] = str(FRONT_SECONDS)
    return response


def _entry_for(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.items()), response.content


def _response_from(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


@once
def _release() -> str:
    """The files of the release in use: their names, sizes and times, read once a process
    without opening them."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in SOURCE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()[:16]
