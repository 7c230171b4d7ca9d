"""Template tags for the booking: its offer on the site's pages, and the steps of booking."""

import datetime as dt

from django import template
from django.db.models import QuerySet

from booking.models import Service
from booking.phone import phone_display
from booking.selectors import service_list_public
from practice.local_time import local, zone_label

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


@register.inclusion_tag("booking/includes/chosen.html")
def chosen_booking(draft) -> dict:
    """What the patient has chosen so far, on the steps after the time: the session, with
    whom and when, by the practice's clock (``{% chosen_booking draft %}``)."""
    service = draft.service() if draft else None
    if service is None:
        return {"service": None}
    start = draft.start_at()
    start_local = local(start) if start else None
    end_local = local(start + dt.timedelta(minutes=service.duration_minutes)) if start else None
    return {
        "service": service,
        "practitioner": draft.slot_practitioner() if start else draft.practitioner(),
        "start_local": start_local,
        "end_local": end_local,
        "zone_name": zone_label(),
        "waiting_list": bool(draft.waitlist) and not start,
    }
