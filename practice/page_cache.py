"""Whole public pages kept in the cache for anonymous visitors (no session cookie), forgotten
the moment anything they show changes. What is kept, who gets it and how it is forgotten:
docs/architecture.md, "The page cache".
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache as once
from pathlib import Path
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce

from . import front_cache
from .cache_version import CacheVersion

CACHEABLE_VIEWS = frozenset({"wagtail_serve", "sitemap", "robots", "practitioner_profile"})
NEVER_CACHED = ("/admin/", "/book/", "/calendar/", "/documents/", "/_util/")
QUERY_PARAMETERS = frozenset({"topic", "page"})
MAX_QUERY_LENGTH = 100
PAGE_SECONDS = 60 * 60 * 24
# What the cached pages are made from: the project's code, templates and static files.
SOURCE_FOLDERS = ("practice", "blog", "booking", "templates", "static")
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".css", ".svg"})

version = CacheVersion("practice:page-cache:version")


def forget_pages(**kwargs) -> None:
    """Forget every cached page, on every app server sharing the cache, and in the front
    cache in front of them (when there is one)."""
    version.change()
    front_cache.forget_everything(**kwargs)


class PageCacheMiddleware:
    """Listed after the security middleware and before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The key, and with it the version, is read before the page is rendered: a change
        # made while rendering leaves the entry under a version nobody asks for any more.
        key = page_key(request) if may_use_cache(request) else None
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None:
            return _response_from(entry)
        response = self.get_response(request)
        if request.method == "GET" and may_store(request, response):
            front_cache.mark_keepable(response, PAGE_SECONDS)
            cache.set(key, _entry_for(response), PAGE_SECONDS)
        return response


def may_use_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(NEVER_CACHED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and query_is_cacheable(request.META.get("QUERY_STRING", ""))
    )


def query_is_cacheable(query: str) -> bool:
    if len(query) > MAX_QUERY_LENGTH:
        return False
    names = [name for name, _ in parse_qsl(query, keep_blank_values=True)]
    # Each known parameter at most once: "?topic=a&topic=a&..." is one page under many keys.
    return len(names) == len(set(names)) and set(names) <= QUERY_PARAMETERS


def page_key(request) -> str | None:
    current = version.current()
    if current is None:
        return None
    address = "{}://{}{}?{}".format(
        request.scheme, request.get_host(), request.path, request.META.get("QUERY_STRING", "")
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"practice:page:{current}:{release()}:{digest}"


def may_store(request, response) -> bool:
    """Whether ``response`` is the same for every anonymous visitor, now and later."""
    match = request.resolver_match
    cache_control = response.get("Cache-Control", "").lower()
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and match is not None
        and match.url_name in CACHEABLE_VIEWS
        and not getattr(request, "is_preview", False)
        and not get_nonce(request)
        and not hasattr(response, "_csp_config")
        and not hasattr(response, "_csp_ro_config")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        # Cookie only: requests with the session cookie never reach the cache.
        and vary <= {"cookie"}
    )


def _entry_for(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.items()), response.content


def _response_from(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


@once
def release() -> str:
    """A fingerprint of the code, templates, static files, Django and Wagtail in use."""
    digest = hashlib.sha256()
    for package in ("django", "wagtail"):
        digest.update(importlib.metadata.version(package).encode())
    base = Path(settings.BASE_DIR)
    for folder in SOURCE_FOLDERS:
        files = sorted(
            path
            for path in (base / folder).rglob("*")
            if path.suffix in SOURCE_SUFFIXES and path.is_file()
        )
        for path in files:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
