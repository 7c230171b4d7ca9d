"""Parts of public pages rendered once per page revision and kept for every visitor:
docs/architecture.md, "Rendered pages".

A fragment (``{% shared_fragment "name" page %}…{% endshared_fragment %}`` in a template)
of a Wagtail page served to a visitor (never a booking page, whatever its template says)
is kept under the page cache's version, the code's release, its name, the page and its
latest revision, and the address with its query string. Any publish or change to what pages
show renews the version (practice/signals.py), so a fragment never outlives what it shows.

What may go in one: only what is the same for every visitor of that address. Never a CSRF
token, a CSP nonce, a form bound to a visitor, the booking draft or a signed-in user's
name. The first two are also caught: a fragment whose rendering asked for either is shown
but not kept. Never kept at all: previews, and searches (their results come from the search
index, updated after a publish, outside the change that renews the version).
"""

from __future__ import annotations

import hashlib

from crispy_forms.utils import render_crispy_form
from django.core.cache import cache
from django.middleware.csp import get_nonce
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from . import page_cache

FRAGMENT_SECONDS = 60 * 60 * 24


SITEWIDE = "sitewide"


def fragment_key(request, name: str, *varies) -> str | None:
    """Where a fragment is kept, or None when it must be rendered fresh.

    A Wagtail page's fragment varies with the page's revision and the address (with its
    query string). One that names ``"sitewide"`` (the header and the footer) is the same on
    every page it varies with, booking's included, whatever the address."""
    if request is None or getattr(request, "is_preview", False) or request.GET.get("q"):
        return None
    sitewide = SITEWIDE in varies
    match = getattr(request, "resolver_match", None)
    of_a_page = (
        match is not None
        and match.url_name == "wagtail_serve"
        and any(isinstance(vary, Page) for vary in varies)
    )
    if not (sitewide or of_a_page):
        return None  # booking, the manage link and the error pages are per visitor
    if not sitewide and not page_cache.query_is_cacheable(request.META.get("QUERY_STRING", "")):
        return None  # made-up query strings must not fill the cache, as in the page cache
    version = page_cache.version.current()
    if version is None:
        return None
    parts = [request.get_host()] if sitewide else [request.get_host(), request.get_full_path()]
    for vary in varies:
        if isinstance(vary, Page):
            parts.append(f"page {vary.pk}@{vary.latest_revision_id}@{vary.last_published_at}")
        else:
            parts.append(str(vary))
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return f"practice:fragment:{version}:{page_cache.release()}:{name}:{digest}"


def personal_marks(request) -> tuple:
    """What rendering something personal leaves behind on the request."""
    return (bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")), bool(get_nonce(request)))


def fragment_render(request, name: str, varies, render) -> str:
    """The fragment from the cache, or rendered by ``render()`` and kept if it may be."""
    key = fragment_key(request, name, *varies)
    if key is None:
        return render()
    html = cache.get(key)
    if html is None:
        before = personal_marks(request)
        html = render()
        if personal_marks(request) == before:
            cache.set(key, html, FRAGMENT_SECONDS)
    return html


def kept_under_version(name: str, compute):
    """``compute()``'s answer, kept until anything pages show changes: for what a page's
    view needs before its fragments (the article index's topics and its number of
    articles). Computed afresh when the cache keeps nothing."""
    version = page_cache.version.current()
    if version is None:
        return compute()
    key = f"practice:kept:{version}:{page_cache.release()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


def blank_form_html(form, name: str) -> SafeString | None:
    """``form`` with nothing filled in yet, as crispy-forms renders it: the same for
    everyone who opens it (no value, no error, no token: the page's template writes the
    <form> and its CSRF field), so rendered once and kept until anything pages show changes
    (the services and practitioners a choice lists, the pages a consent links to). ``name``
    tells apart the variants of one form. None for a form holding values or errors: that
    one is the visitor's own and is rendered afresh."""
    if form.is_bound or form.initial:
        return None
    html = kept_under_version(f"blank-form:{name}", lambda: str(render_crispy_form(form)))
    return mark_safe(html)
