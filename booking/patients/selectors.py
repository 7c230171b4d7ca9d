"""What "My appointments" reads: the signed-in patient's own records, never anyone else's
(every query here is filtered by the patient)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ..models import Appointment, AppointmentStatus, Patient, WaitlistEntry
from ..models.waitlist import OPEN_STATUSES

PAST_SHOWN = 30


def _own(patient: Patient) -> QuerySet[Appointment]:
    return Appointment.objects.filter(patient=patient).select_related(
        "service", "practitioner__profile"
    )


def visit_list_upcoming(*, patient: Patient, now: dt.datetime) -> list[Appointment]:
    """The patient's booked visits not over yet, soonest first."""
    return list(
        _own(patient)
        .filter(status=AppointmentStatus.CONFIRMED, ends_at__gt=now)
        .order_by("starts_at", "pk")
    )


def visit_list_past(*, patient: Patient, now: dt.datetime) -> list[Appointment]:
    """The patient's visits that are over, and those cancelled, latest first (the last
    ``PAST_SHOWN``)."""
    upcoming = {"status": AppointmentStatus.CONFIRMED, "ends_at__gt": now}
    return list(_own(patient).exclude(**upcoming).order_by("-starts_at", "-pk")[:PAST_SHOWN])


def visit_get(*, patient: Patient, public_id) -> Appointment | None:
    """One of the patient's own appointments; None for anyone else's."""
    return _own(patient).filter(public_id=public_id).first()


def waitlist_entry_list_open(*, patient: Patient) -> list[WaitlistEntry]:
    return list(
        WaitlistEntry.objects.filter(patient=patient, status__in=OPEN_STATUSES)
        .select_related("service", "practitioner__profile")
        .order_by("earliest_date", "pk")
    )


def waitlist_entry_get(*, patient: Patient, public_id) -> WaitlistEntry | None:
    return WaitlistEntry.objects.filter(patient=patient, public_id=public_id).first()
