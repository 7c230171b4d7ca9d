from django import template
from django.utils.safestring import mark_safe

from practice import structured_data as schema
from practice.fragments import fragment_render
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


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, varies):
        self.nodelist, self.name, self.varies = nodelist, name, varies

    def render(self, context):
        return fragment_render(
            context.get("request"),
            self.name.resolve(context),
            [vary.resolve(context) for vary in self.varies],
            lambda: self.nodelist.render(context),
        )


@register.tag("shared_fragment")
def shared_fragment(parser, token):
    """``{% shared_fragment "name" page … %}…{% endshared_fragment %}``: rendered once per
    page revision and address, and kept for every visitor (practice/fragments.py says what
    may go inside)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
