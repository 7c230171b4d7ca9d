"""What the agenda and the dashboard panel show, read in a fixed number of queries.

Only what the front desk needs is loaded: no intake answers, no flag details, no contact
details. Working hours and time off come from the booking selectors, as for free slots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from booking.calendars.selectors import busy_time_list_for
from booking.models import Appointment, AppointmentStatus
from booking.selectors import practitioner_list_active, time_off_list_for, weekly_hours_list_for
from practice.local_time import clock_range

from .grid import Away, Grid, Person, Visit, build_grid, local_midnight, patient_short_name

FLAGGED_AHEAD_DAYS = 14


def appointment_admin_url(pk: int) -> str | None:
    """The appointment's page in the admin, once its viewset is registered."""
    try:
        return reverse("booking_appointment:inspect", args=[pk])
    except NoReverseMatch:
        return None


_VISIT_FIELDS = (
    "pk",
    "practitioner_id",
    "starts_at",
    "ends_at",
    "blocked_until",
    "status",
    "precautions",
    "screened",
    "screening_stopped_at",
    "is_first_visit",
    "service__name",
    "patient__first_name",
    "patient__last_name",
    "practitioner__profile__name",
)


def _visit(appointment: Appointment, openable: frozenset[int] | None = None) -> Visit:
    """``openable``: whose appointments the viewer may open (None: everyone's). Those carry
    the patient's full name, the front desk's to call them back; the others a short name
    and no link."""
    status = appointment.status
    # A waiting list's hold shows as held time; it is no appointment to open yet.
    linked = status != AppointmentStatus.HELD and (
        openable is None or appointment.practitioner_id in openable
    )
    patient = appointment.patient
    return Visit(
        id=appointment.pk,
        practitioner_id=appointment.practitioner_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        service=appointment.service.name,
        patient=patient.full_name
        if linked
        else patient_short_name(patient.first_name, patient.last_name),
        first_visit=appointment.is_first_visit,
        flagged=appointment.is_flagged,
        unscreened=not appointment.screened,
        stopped=not appointment.screened and appointment.screening_stopped_at is not None,
        status_label=""
        if status == AppointmentStatus.CONFIRMED
        else appointment.get_status_display(),
        url=appointment_admin_url(appointment.pk) if linked else None,
        blocked_until=appointment.blocked_until,
    )


def _visible_appointments():
    """Non-cancelled appointments with only the columns staff see (no contact details)."""
    return (
        Appointment.with_holds.holding_time()
        .select_related("patient", "service", "practitioner__profile")
        .only(*_VISIT_FIELDS)
        .order_by("starts_at", "pk")
    )


@dataclass
class AgendaData:
    grid: Grid
    practitioners: list[Person]  # everyone who can be filtered on
    shown: list[Person]


def _people_shown(active: list[Person], practitioner_id: int | None, appointments) -> list[Person]:
    """The columns: the practitioner asked for, or everyone active; and anyone no longer
    active who still has appointments in the range (shown rather than hidden)."""
    shown = [p for p in active if practitioner_id in (None, p.id)]
    known = {p.id for p in shown}
    for a in appointments:
        if a.practitioner_id not in known:
            known.add(a.practitioner_id)
            shown.append(Person(a.practitioner_id, a.practitioner.name))
    return shown


def _away_list(ids: list[int], start: dt.datetime, end: dt.datetime) -> list[Away]:
    """Their time off and the clinic's closures, and the busy times from their own
    calendars (drawn like time off, labelled "Busy")."""
    time_off = time_off_list_for(practitioner_ids=ids, start=start, end=end)
    busy = busy_time_list_for(practitioner_ids=ids, start=start, end=end)
    return [
        Away(row.practitioner_id, row.starts_at, row.ends_at, row.reason) for row in time_off
    ] + [
        Away(practitioner_id, starts_at, ends_at, busy=True)
        for practitioner_id, starts_at, ends_at in busy
    ]


def agenda_load(
    *,
    days: Sequence[dt.date],
    practitioner_id: int | None = None,
    zone: ZoneInfo | None = None,
    today: dt.date | None = None,
    openable: frozenset[int] | None = None,
    now: dt.datetime | None = None,
) -> AgendaData:
    """The grid for ``days`` (consecutive local dates), for one practitioner or everyone;
    the time still free from ``now`` on.

    Five queries, whatever the number of days, practitioners and appointments:
    practitioners, appointments, working hours, time off, busy times from their own
    calendars (drawn like time off, labelled "Busy").
    """
    zone = zone or timezone.get_default_timezone()
    start, end = local_midnight(days[0], zone), local_midnight(days[-1] + dt.timedelta(1), zone)

    active = [Person(p.pk, p.name) for p in practitioner_list_active()]
    if practitioner_id is not None and practitioner_id not in {p.id for p in active}:
        practitioner_id = None  # an unknown id shows everyone rather than nothing

    appointments = _visible_appointments().filter(starts_at__lt=end, ends_at__gt=start)
    if practitioner_id is not None:
        appointments = appointments.filter(practitioner_id=practitioner_id)
    appointments = list(appointments)
    visits = [_visit(a, openable) for a in appointments]

    shown = _people_shown(active, practitioner_id, appointments)
    ids = [p.id for p in shown]
    grid = build_grid(
        days=days,
        practitioners=shown,
        hours=weekly_hours_list_for(practitioner_ids=ids),
        away=_away_list(ids, start, end),
        visits=visits,
        zone=zone,
        today=today,
        now=now,
    )
    return AgendaData(grid=grid, practitioners=active, shown=shown)


@dataclass(frozen=True)
class PanelLine:
    """One appointment in the dashboard panel."""

    starts_at: dt.datetime  # local
    ends_at: dt.datetime  # local
    practitioner: str
    visit: Visit

    @property
    def time_range(self) -> str:
        """From start to end as on the agenda's cards: "9:00-9:50 AM" (an en dash)."""
        return clock_range(self.starts_at.time(), self.ends_at.time())


def home_panel_rows(
    *, now: dt.datetime, zone: ZoneInfo | None = None, openable: frozenset[int] | None = None
) -> tuple[list[PanelLine], list[PanelLine]]:
    """Today's non-cancelled appointments, and flagged confirmed ones in the next 14 days;
    of those the viewer may open (``openable``, None for everyone's) only.

    Two queries, whatever the number of appointments.
    """
    zone = zone or timezone.get_default_timezone()
    today = now.astimezone(zone).date()
    start, end = local_midnight(today, zone), local_midnight(today + dt.timedelta(1), zone)

    def line(a: Appointment) -> PanelLine:
        return PanelLine(
            starts_at=a.starts_at.astimezone(zone),
            ends_at=a.ends_at.astimezone(zone),
            practitioner=a.practitioner.name,
            visit=_visit(a, openable),
        )

    visible = _visible_appointments()
    if openable is not None:
        visible = visible.filter(practitioner_id__in=openable)
    todays = visible.filter(starts_at__gte=start, starts_at__lt=end)
    flagged = visible.filter(
        status=AppointmentStatus.CONFIRMED,
        starts_at__gte=now,
        starts_at__lt=now + dt.timedelta(days=FLAGGED_AHEAD_DAYS),
    ).filter(Q(screened=False) | ~Q(precautions=[]))
    return [line(a) for a in todays], [line(a) for a in flagged if a.is_flagged or not a.screened]
