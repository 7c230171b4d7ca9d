"""The practice's own views besides Wagtail's pages: the icon and the practitioners' profiles."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.static import serve

from . import brand, structured_data
from .icons import favicon_ico
from .models import PractitionerProfile
from .site_chrome import site_chrome

ICON_SECONDS = 60 * 60 * 24 * 7
YEAR = 60 * 60 * 24 * 365
ABOUT_SLUG = "about"


@require_safe
def favicon(request) -> HttpResponse:
    response = HttpResponse(favicon_ico(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={ICON_SECONDS}"
    return response


@require_safe
def brand_stylesheet(request, version: str, admin: bool = False) -> HttpResponse:
    """The practice's colours and typeface (practice/brand.py). Kept for a year under the
    address of what it says; an address from before a change gets today's, kept by nobody."""
    chrome = site_chrome(request)
    if chrome is None:
        raise Http404
    practice = chrome.practice
    response = HttpResponse(
        brand.stylesheet(practice, admin=admin), content_type="text/css; charset=utf-8"
    )
    if version == brand.version(practice):
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response


@require_safe
def media(request, path: str) -> HttpResponse:
    """An uploaded file, where Django serves them itself (``SERVE_MEDIA``: development and
    the demo, which runs with DEBUG off to show the site's own error pages)."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@require_safe
def practitioner_profile(request, slug: str) -> HttpResponse:
    """A practitioner's public page: who they are, what they give and what they wrote.

    Every profile has one, booked or not: articles name their author and reviewer by it.
    """
    profile = get_object_or_404(PractitionerProfile.objects.select_related("photo"), slug=slug)
    practitioner = getattr(profile, "practitioner", None)
    services = (
        list(practitioner.services.filter(is_active=True).order_by("sort_order", "name"))
        if practitioner is not None and practitioner.is_active
        else []
    )
    articles = list(profile.articles.live().public().order_by("-first_published_at")[:6])
    chrome = site_chrome(request)
    return render(
        request,
        "practice/practitioner_profile.html",
        {
            "profile": profile,
            "services": services,
            "articles": articles,
            "about_url": _about_url(chrome),
            "meta_title": profile.display_name,
            "meta_description": profile.short_bio,
            "json_ld": [structured_data.profile_page(request, profile)],
        },
    )


def _about_url(chrome) -> str | None:
    if chrome is None:
        return None
    about = next((i for i in chrome.footer if i.url_path.endswith(f"/{ABOUT_SLUG}/")), None)
    return about.url if about else None
