"""How many online bookings one person may hold ahead, so that a stranger cannot fill the
diary: every appointment booked online counts (a course's sessions each), by email address
or by phone number; staff bookings are not capped and not counted.

A refusal, like a refusal of the per-address limit, tells the practice once an hour
(``burst_noted``), with no address and no name in the email.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q

from .contracts import BookingError
from .models import Appointment, AppointmentStatus


def online_holdings(*, email: str, phone: str, now: dt.datetime) -> int:
    """Future appointments booked online under this email address or this phone number."""
    same = Q(patient__email__iexact=email.strip()) if email.strip() else Q()
    if phone.strip():
        same |= Q(patient__phone=phone.strip())
    if not same:
        return 0
    return (
        Appointment.objects.filter(
            same, status=AppointmentStatus.CONFIRMED, starts_at__gt=now, booked_by_staff=False
        )
        .distinct()
        .count()
    )


def online_cap_check(
    email: str, phone: str, *, adding: int, now: dt.datetime, by_staff: bool
) -> None:
    """Raises ``BookingError`` when ``adding`` more would take this person past
    ``ONLINE_BOOKINGS_AHEAD`` (never for staff); run inside the booking's transaction."""
    if by_staff:
        return
    most = settings.ONLINE_BOOKINGS_AHEAD
    if online_holdings(email=email, phone=phone, now=now) + adding > most:
        burst_noted("cap")
        raise BookingError(
            f"Online, one person can hold up to {most} upcoming appointments. Please call us "
            "to book more, or cancel one you no longer need."
        )


def burst_noted(kind: str) -> None:
    """Tells the practice, once an hour whatever the number, that bookings were refused
    (``kind``: "cap", or a rate limit's scope)."""
    from .tasks import send_burst_notice

    hour = int(time.time() // 3600)
    if caches["limits"].add(f"burst-told:{hour}", 1, timeout=3600):
        send_burst_notice.enqueue(kind=kind)
