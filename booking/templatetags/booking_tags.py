"""Template tags for the booking: its offer on the site's pages, and the steps of booking."""

from django import template
from django.db.models import QuerySet

from booking.models import Service
from booking.phone import phone_display
from booking.selectors import service_list_public

register = template.Library()

STEPS = [(1, "Session"), (2, "Time"), (3, "Your details"), (4, "Health questions"), (5, "Confirm")]


@register.simple_tag
def public_services() -> QuerySet[Service]:
    """The services the practice offers, in its order (``{% public_services as services %}``)."""
    return service_list_public()


@register.inclusion_tag("booking/includes/steps.html")
def booking_steps(step: int) -> dict:
    """The progress list at the top of each booking step (``{% booking_steps step %}``)."""
    return {"steps_list": STEPS, "step": step}


@register.filter
def phone(value: str) -> str:
    """A stored phone number as people write it (booking/phone.py)."""
    return phone_display(value) if value else ""


@register.filter
def waiting_at(column, block):
    """(How many on the waiting list the agenda's free ``block`` suits, their list's link)."""
    return column.waiting.get(block.start)
