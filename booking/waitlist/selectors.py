"""Reads for the waiting list: the entries that may take a time, the times free for them,
and the rows behind the patients' links."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Q
from django.utils import timezone

from .. import selectors
from ..models import (
    Appointment,
    AppointmentStatus,
    OfferOutcome,
    Practitioner,
    Service,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from ..tokens import ENTRY_SALT, OFFER_SALT, public_id_from_signed
from . import match
from .match import FreeTime, Wish


def wish_from(entry: WaitlistEntry) -> Wish:
    """The entry as the matching (``match``) sees it."""
    return Wish(
        entry_id=entry.pk,
        service_id=entry.service_id,
        practitioner_id=entry.practitioner_id,
        earliest=entry.earliest_date,
        latest=entry.latest_date,
        weekdays=frozenset(entry.weekdays or ()),
        parts_of_day=frozenset(entry.parts_of_day or ()),
        urgent=entry.urgent,
        created_at=entry.created_at,
        before=_moving_from(entry),
    )


def _moving_from(entry: WaitlistEntry) -> dt.datetime | None:
    """The start of the booked appointment the entry wants moved sooner, if it still stands."""
    moving = entry.move_appointment
    if moving is None or moving.status != AppointmentStatus.CONFIRMED:
        return None
    return moving.starts_at


def entry_list_waiting(
    *, practitioner_id: int, starts_at: dt.datetime, now: dt.datetime
) -> list[WaitlistEntry]:
    """The entries still waiting that could take a time with this practitioner, less those
    already offered that very time once (declined, or let run out), and those of a patient
    holding another offer now: one time at a time per patient. A practitioner who does not
    see new patients is offered to returning patients only."""
    offered = WaitlistOffer.objects.filter(practitioner_id=practitioner_id, starts_at=starts_at)
    holding = WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).values("patient_id")
    no_newcomers = Practitioner.objects.filter(pk=practitioner_id, takes_new_patients=False)
    return list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, expires_at__gt=now)
        .filter(Q(practitioner_id=practitioner_id) | Q(practitioner__isnull=True))
        .exclude(pk__in=offered.values("entry_id"))
        .exclude(patient_id__in=holding)
        .exclude(Exists(no_newcomers), ~Q(intake_kind="returning"))
        .select_related("move_appointment")
    )


def free_time_list(
    *, practitioner: Practitioner, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[FreeTime]:
    """The times free for booking online with ``practitioner`` that start in [start, end),
    for each service they give that someone is waiting for. Soonest first."""
    waited_for = WaitlistEntry.objects.filter(
        status=WaitlistStatus.WAITING, expires_at__gt=now
    ).values("service_id")
    services = Service.objects.filter(
        pk__in=waited_for, practitioners=practitioner, is_active=True
    ).distinct()
    tz = timezone.get_default_timezone()
    first_day = max(start, now).astimezone(tz).date()
    days = (end.astimezone(tz).date() - first_day).days + 1
    if days <= 0:
        return []
    times = []
    for service in services:
        for slot in selectors.slot_list_free(
            service=service, practitioner=practitioner, first_day=first_day, days=days, now=now
        ):
            if start <= slot.start < end:
                times.append(FreeTime(service.pk, practitioner.pk, slot.start))
    return sorted(times, key=lambda t: (t.start, t.service_id))


def offer_get_by_token(token: str) -> WaitlistOffer | None:
    """The offer a claim link names, or None for a link changed, made up or forgotten."""
    public_id = public_id_from_signed(token, salt=OFFER_SALT)
    if public_id is None:
        return None
    return (
        WaitlistOffer.objects.select_related(
            "entry__patient", "entry__service", "practitioner__profile", "hold"
        )
        .filter(public_id=public_id)
        .first()
    )


def entry_get_by_token(token: str) -> WaitlistEntry | None:
    public_id = public_id_from_signed(token, salt=ENTRY_SALT)
    if public_id is None:
        return None
    return (
        WaitlistEntry.objects.select_related("service", "practitioner__profile")
        .filter(public_id=public_id)
        .first()
    )


def holds_expired(*, now: dt.datetime) -> list[int]:
    """The held rows whose hold has run out, oldest first."""
    return list(
        Appointment.with_holds.filter(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        .order_by("hold_expires_at", "pk")
        .values_list("pk", flat=True)
    )


def offer_list_pending_for(*, practitioner_id: int, starts_at: dt.datetime) -> list[int]:
    """The open offers of one time: in the broadcast mode, everyone told of it."""
    return list(
        WaitlistOffer.objects.filter(
            practitioner_id=practitioner_id, starts_at=starts_at, outcome=OfferOutcome.PENDING
        ).values_list("pk", flat=True)
    )


def waiting_counts(
    *, gaps: list[tuple[int, dt.datetime, dt.datetime]], now: dt.datetime
) -> list[int]:
    """For each free gap (practitioner, start, end) of the agenda, how many waiting entries
    would take a session starting at its start that fits in it. One query."""
    tz = timezone.get_default_timezone()
    entries = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, expires_at__gt=now)
        .select_related("service", "move_appointment")
        .only(
            "service_id",
            "service__duration_minutes",
            "practitioner_id",
            "earliest_date",
            "latest_date",
            "weekdays",
            "parts_of_day",
            "urgent",
            "created_at",
            "move_appointment__status",
            "move_appointment__starts_at",
        )
    )
    wishes = [(wish_from(e), dt.timedelta(minutes=e.service.duration_minutes)) for e in entries]
    return [
        sum(
            1
            for wish, length in wishes
            if start + length <= end
            and match.accepts(wish, FreeTime(wish.service_id, practitioner_id, start), tz)
        )
        for practitioner_id, start, end in gaps
    ]
