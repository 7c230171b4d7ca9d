"""Manage links: made when a link is handed out, read when one is followed.

A link is made at the moment it leaves the practice: by the task that sends an email (so
the secret lives only in that email, never in the task queue), or by the page a booking
or a move ends on. An appointment can thus have several live links (the confirmation, the
reminder, a move's email), each opening it until it is past; the view decides how long
that is (``views.manage.appointment_for_link``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from .models import Appointment, ManageLink
from .tokens import new_secret, secret_hash


def manage_link_create(*, appointment: Appointment, now: dt.datetime | None = None) -> str:
    """A new link's token, for the email or the redirect only: the table keeps its hash."""
    token = new_secret()
    ManageLink.objects.create(
        appointment=appointment, token_hash=secret_hash(token), created_at=now or timezone.now()
    )
    return token


def manage_links_create(
    *, appointments: Iterable[Appointment], now: dt.datetime | None = None
) -> dict[int, str]:
    """One new token per appointment (by its pk), written in one query: a course's sessions."""
    now = now or timezone.now()
    tokens = {appointment.pk: new_secret() for appointment in appointments}
    ManageLink.objects.bulk_create(
        ManageLink(appointment_id=pk, token_hash=secret_hash(token), created_at=now)
        for pk, token in tokens.items()
    )
    return tokens


def appointment_for_token(token: str) -> Appointment | None:
    """The appointment a manage link opens, or None for a token made up or purged."""
    if not token or len(token) > 200:
        return None
    return (
        Appointment.objects.select_related("patient", "practitioner__profile", "service")
        .filter(manage_links__token_hash=secret_hash(token))
        .first()
    )


def manage_links_purge(*, now: dt.datetime | None = None) -> int:
    """Deletes the links of appointments past the longest time a link is of use (the manage
    page stays open ``COURSE_REQUEST_DAYS_AFTER`` days after the visit)."""
    now = now or timezone.now()
    past = now - dt.timedelta(days=settings.COURSE_REQUEST_DAYS_AFTER)
    deleted, _ = ManageLink.objects.filter(appointment__ends_at__lt=past).delete()
    return deleted
