from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from practice import brand
from practice import structured_data as schema
from practice.models import PracticeSettings
from practice.seek_care import tiers as seek_care_tiers

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_data(context) -> str:
    """The page's JSON-LD, one <script> element per object: a Wagtail page's own, or what
    a view puts in the context as ``json_ld``."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    if page is not None and hasattr(page, "get_structured_data"):
        practice = context.get("practice") or PracticeSettings.for_request(request)
        items = page.get_structured_data(request, practice)
    else:
        items = context.get("json_ld") or []
    scripts = [
        f'<script type="application/ld+json">{schema.to_script_json(item)}</script>'
        for item in items
    ]
    return mark_safe("\n".join(scripts))  # JSON escaped by to_script_json


@register.filter
def money(value) -> str:
    """12.50 -> '12.50', 90.00 -> '90'."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


@register.filter
def in_section(page, item) -> bool:
    """Whether ``page`` is ``item`` or lies below it, for marking the current menu entry."""
    url_path = getattr(page, "url_path", None)
    return bool(url_path) and url_path.startswith(item.url_path)


@register.filter
def breadcrumb_trail(page) -> list:
    return schema.breadcrumb_trail(page)


@register.inclusion_tag("includes/seek_care.html")
def seek_care(
    only: str | None = None, heading: str = "When to see a doctor instead", prefix: str = ""
):
    """The "when to see a doctor" box: both tiers (practice/seek_care.py), or the one named.

    ``prefix`` keeps the box's ids unique when a page shows it twice."""
    return {
        "tiers": seek_care_tiers(only),
        "heading": heading,
        "prefix": prefix,
        "show_booking_note": only is None,
    }


@register.simple_tag(takes_context=True)
def brand_head(context, admin: bool = False) -> str:
    """The practice's colours and typeface: its stylesheet, and the typeface's regular weight
    fetched early (practice/brand.py)."""
    practice = context.get("practice")
    if practice is None:
        return ""
    version = brand.version(practice)
    if admin:
        url = reverse("brand_admin_stylesheet", args=[version])
        return format_html('<link rel="stylesheet" href="{}">', url)
    html = format_html(
        '<link rel="stylesheet" href="{}">', reverse("brand_stylesheet", args=[version])
    )
    if font := brand.preload(practice):
        html = format_html(
            '<link rel="preload" href="{}" as="font" type="font/woff2" crossorigin>{}',
            font,
            html,
        )
    return html
