"""Every piece of schema.org JSON-LD the site publishes is built here.

Pages choose which builders apply to them (``get_structured_data``); the base
template renders the result with ``{% structured_data %}``. Keeping the
vocabulary in one module makes it easy to test by parsing the output.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import Site

if TYPE_CHECKING:
    from django.conf import settings
from django.http import HttpRequest

CONTEXT = "https://schema.org"

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_script_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def _site_url(request: HttpRequest) -> str:
    return site_root_url(request) + "/"


def site_root_url(request: HttpRequest) -> str:
    """The configured address of the request's site (never the Host header)."""
    site = Site.find_for_request(request)
    return site.root_url if site else settings.SITE_URL


def clinic_id(request: HttpRequest) -> str:
    return _site_url(request) + "#clinic"


def _address(practice) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": practice.street_address,
        "addressLocality": practice.address_locality,
        "addressRegion": practice.address_region,
        "postalCode": practice.postal_code,
        "addressCountry": practice.address_country,
    }


def _opening_hours(practice) -> list[dict]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{day}" for day in block.value["days"]],
            "opens": block.value["opens"].strftime("%H:%M"),
            "closes": block.value["closes"].strftime("%H:%M"),
        }
        for block in practice.opening_hours
    ]


def clinic(request: HttpRequest, practice, page=None) -> dict:
    """The practice as a ``MedicalClinic``: address, phone, hours."""
    data = {
        "@context": CONTEXT,
        "@type": "MedicalClinic",
        "@id": clinic_id(request),
        "name": practice.name,
        "url": _site_url(request),
        "address": _address(practice),
        "openingHoursSpecification": _opening_hours(practice),
        "isAcceptingNewPatients": True,
    }
    if practice.tagline:
        data["description"] = practice.tagline
    if practice.phone:
        data["telephone"] = practice.phone
    if practice.email:
        data["email"] = practice.email
    if practice.map_url:
        data["hasMap"] = practice.map_url
    if page is not None and getattr(page, "hero_image", None):
        data["image"] = image_url(request, page.hero_image)
    return data


def website(request: HttpRequest, practice, page) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": practice.name,
        "url": _site_url(request),
        "publisher": {"@id": clinic_id(request)},
    }


def profile_url(request: HttpRequest, profile) -> str:
    """The practitioner's public profile: the ``url`` of the Person everywhere it appears."""
    return site_root_url(request) + reverse("practitioner_profile", args=[profile.slug])


def person(request: HttpRequest, profile) -> dict:
    """A practitioner with their licence and board certification as credentials.

    The same ``@id`` wherever they appear (author, reviewer, their profile), so readers of
    the data know the three are one person; ``url`` is the profile page, as Google's
    Article guidance asks of an author.
    """
    url = profile_url(request, profile)
    data: dict[str, Any] = {
        "@type": "Person",
        "@id": url + "#person",
        "name": profile.name,
        "url": url,
        "jobTitle": profile.job_title,
        "worksFor": {"@id": clinic_id(request)},
    }
    if profile.credentials:
        data["honorificSuffix"] = profile.credentials
    credentials = [
        {"@type": "EducationalOccupationalCredential", "credentialCategory": category, "name": name}
        for category, name in (
            ("license", profile.licence),
            ("certification", profile.board_certification),
        )
        if name
    ]
    if credentials:
        data["hasCredential"] = credentials
    if profile.photo_id:
        data["image"] = image_url(request, profile.photo, "fill-800x800|format-jpeg")
    return data


def profile_page(request: HttpRequest, profile) -> dict:
    """A practitioner's profile as a ``ProfilePage`` about them (Google's profile-page
    guidance: a ``mainEntity`` Person with a name)."""
    url = profile_url(request, profile)
    main = person(request, profile)
    main["description"] = profile.short_bio
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": profile.display_name,
        "mainEntity": main,
    }


def _publisher(request: HttpRequest, practice) -> dict:
    data = {
        "@type": "MedicalClinic",
        "@id": clinic_id(request),
        "name": practice.name,
        "url": _site_url(request),
        "address": _address(practice),
    }
    if practice.phone:
        data["telephone"] = practice.phone
    return data


def image_url(request: HttpRequest, image, spec: str = "fill-1200x630|format-jpeg") -> str:
    return site_root_url(request) + image.get_rendition(spec).url


def article(request: HttpRequest, page, practice) -> dict:
    """An article: the page is a ``MedicalWebPage`` (reviewed, for patients) whose
    ``mainEntity`` is the ``Article`` itself.

    The split follows schema.org: ``lastReviewed``, ``reviewedBy`` and ``medicalAudience``
    belong to the page, ``wordCount`` only to an Article. The Article carries what
    Google's Article guidance names: headline, image, datePublished, dateModified, and
    an author with a name and a url.
    """
    url = page.get_full_url(request)
    entry = _article_entry(request, page, practice, url)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "description": page.meta_description,
        "inLanguage": "en-US",
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "isPartOf": {"@type": "WebSite", "url": _site_url(request)},
        "mainEntity": entry,
    }
    if page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed.isoformat()
    if page.reviewed_by_id:
        data["reviewedBy"] = person(request, page.reviewed_by)
    if page.hero_image_id:
        data["primaryImageOfPage"] = {"@type": "ImageObject", "url": entry["image"]}
    return data


def _article_entry(request: HttpRequest, page, practice, url: str) -> dict[str, Any]:
    """The ``Article`` the page is about (its ``mainEntity``), with its image, dates,
    author and topics when it has them."""
    entry: dict[str, Any] = {
        "@type": "Article",
        "@id": url + "#article",
        "mainEntityOfPage": {"@id": url},
        "headline": page.title,
        "description": page.meta_description,
        "inLanguage": "en-US",
        "publisher": _publisher(request, practice),
        "isAccessibleForFree": True,
        "wordCount": page.word_count,
        "timeRequired": f"PT{page.reading_minutes}M",
    }
    if page.hero_image_id:
        entry["image"] = image_url(request, page.hero_image)
    if page.first_published_at:
        entry["datePublished"] = page.first_published_at.isoformat()
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        entry["dateModified"] = modified.isoformat()
    if page.author_id:
        entry["author"] = person(request, page.author)
    topics = list(page.topics.all())
    if topics:
        entry["about"] = [{"@type": "Thing", "name": topic.name} for topic in topics]
        entry["keywords"] = ", ".join(topic.name for topic in topics)
    return entry


def breadcrumbs(request: HttpRequest, page) -> dict:
    """A ``BreadcrumbList`` from the site's home page down to ``page``."""
    trail = breadcrumb_trail(page)
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def breadcrumb_trail(page) -> list:
    """The pages from the site's home down to ``page``.

    Walks up with ``get_parent()``, which costs nothing for a page reached by
    routing (Wagtail remembers each parent on its child) and one query a level
    otherwise (previews). Remembered on the page for the rest of the request.
    """
    trail = getattr(page, "_breadcrumb_trail", None)
    if trail is None:
        trail = [page]
        while trail[0].depth > 2:
            trail.insert(0, trail[0].get_parent())
        page._breadcrumb_trail = trail
    return trail


def faq_page(request: HttpRequest, page, items) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "url": page.get_full_url(request),
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": strip_tags(str(item["answer"])).strip(),
                },
            }
            for item in items
        ],
    }
