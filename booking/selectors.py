"""Read-only queries for the booking domain."""

from django.db.models import QuerySet

from .models import Service


def service_list_public() -> QuerySet[Service]:
    """Active services in the order the practice lists them."""
    return Service.objects.active().order_by("sort_order", "name")


def service_get_public(*, slug: str) -> Service | None:
    return service_list_public().filter(slug=slug).first()
