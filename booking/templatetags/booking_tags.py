"""Template tags that put the booking's offer on the site's pages."""

from django import template
from django.db.models import QuerySet

from booking.models import Service
from booking.selectors import service_list_public

register = template.Library()


@register.simple_tag
def public_services() -> QuerySet[Service]:
    """The services the practice offers, in its order (``{% public_services as services %}``)."""
    return service_list_public()
