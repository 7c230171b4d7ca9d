"""Working hours, time off and free times. The arithmetic lives in ``booking.slots``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from .. import slots
from ..calendars.selectors import busy_time_list_for
from ..models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from .catalogue import (
    booking_policy_get,
    practitioner_list_for_service,
    slot_policy_build,
)


def weekly_hours_list_for(
    *, practitioner_ids: Iterable[int]
) -> dict[int, dict[int, list[tuple[dt.time, dt.time]]]]:
    """``hours[practitioner_id][weekday]``: each practitioner's local working ranges, earliest
    first (weekday 0 is Monday). One query; practitioners without hours are left out."""
    hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = {}
    rows = WorkingHours.objects.filter(practitioner_id__in=list(practitioner_ids)).order_by(
        "start_time"
    )
    for row in rows:
        by_day = hours.setdefault(row.practitioner_id, {})
        by_day.setdefault(row.weekday, []).append((row.start_time, row.end_time))
    return hours


def time_off_list_for(
    *, practitioner_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> list[TimeOff]:
    """These practitioners' time off, and clinic closures (no practitioner), that overlaps
    [start, end). One query."""
    return list(
        TimeOff.objects.filter(
            Q(practitioner_id__in=list(practitioner_ids)) | Q(practitioner__isnull=True),
            starts_at__lt=end,
            ends_at__gt=start,
        )
    )


def schedule_list_for(
    *,
    practitioners: Iterable[Practitioner],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment: Appointment | None = None,
    calendar_busy: bool = True,
) -> list[slots.Schedule]:
    """Each practitioner's hours, time off and booked time between ``start`` and ``end``.

    The busy times of their own calendars count as time off, unless ``calendar_busy`` is
    False (staff booking over one). Four queries, whatever the number of practitioners.
    """
    practitioners = list(practitioners)
    ids = [p.pk for p in practitioners]
    hours = weekly_hours_list_for(practitioner_ids=ids)

    busy: dict[int, list[slots.Interval]] = defaultdict(list)
    booked = (
        Appointment.with_holds.holding_time()
        .filter(practitioner_id__in=ids, starts_at__lt=end, blocked_until__gt=start)
        .values_list("pk", "practitioner_id", "starts_at", "blocked_until")
    )
    for pk, practitioner_id, starts_at, blocked_until in booked:
        if exclude_appointment is None or pk != exclude_appointment.pk:
            busy[practitioner_id].append(slots.Interval(starts_at, blocked_until))

    away: dict[int | None, list[slots.Interval]] = defaultdict(list)
    for row in time_off_list_for(practitioner_ids=ids, start=start, end=end):
        away[row.practitioner_id].append(slots.Interval(row.starts_at, row.ends_at))
    if calendar_busy:
        for practitioner_id, starts_at, ends_at in busy_time_list_for(
            practitioner_ids=ids, start=start, end=end
        ):
            away[practitioner_id].append(slots.Interval(starts_at, ends_at))

    return [
        slots.Schedule(
            practitioner_id=p.pk,
            weekly_hours={day: tuple(ranges) for day, ranges in hours.get(p.pk, {}).items()},
            appointments=tuple(sorted(busy[p.pk], key=lambda i: i.start)),
            time_off=tuple(sorted(away[p.pk] + away[None], key=lambda i: i.start)),
        )
        for p in practitioners
    ]


def _window(first_day: dt.date, days: int, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=tz) - dt.timedelta(days=1)
    end = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), (end + dt.timedelta(days=1)).astimezone(dt.UTC)


def _practitioners_shown(service, practitioner, *, new_patient: bool) -> list[Practitioner]:
    """Whose free times are shown: the practitioner chosen, or everyone who gives the
    service; for a ``new_patient``, never one who sees only patients seen before."""
    if practitioner is None:
        return practitioner_list_for_service(service=service, new_patient=new_patient)
    if new_patient and not practitioner.takes_new_patients:
        return []
    return [practitioner]


def _schedules_shown(
    *,
    service: Service,
    practitioner: Practitioner | None,
    first_day: dt.date,
    days: int,
    exclude_appointment: Appointment | None = None,
    new_patient: bool = False,
) -> list[slots.Schedule]:
    """The schedules free times for ``days`` local dates from ``first_day`` are computed
    from (an appointment being moved left out, so its own time shows as free)."""
    start, end = _window(first_day, days, timezone.get_default_timezone())
    practitioners = _practitioners_shown(service, practitioner, new_patient=new_patient)
    return schedule_list_for(
        practitioners=practitioners, start=start, end=end, exclude_appointment=exclude_appointment
    )


def _free_in(schedules, *, service, first_day, days, now, ignore_notice=False):
    return slots.free_slots(
        schedules=schedules,
        duration=dt.timedelta(minutes=service.duration_minutes),
        policy=slot_policy_build(booking_policy_get(), ignore_notice=ignore_notice),
        now=now,
        tz=timezone.get_default_timezone(),
        first_day=first_day,
        days=days,
    )


def slot_list_free(
    *,
    service: Service,
    practitioner: Practitioner | None,
    first_day: dt.date,
    days: int,
    now: dt.datetime,
    ignore_notice: bool = False,
    exclude_appointment: Appointment | None = None,
    new_patient: bool = False,
) -> list[slots.Slot]:
    """Free start times for ``service`` with one practitioner, or any who offers it (for a
    ``new_patient``, any who sees new patients).

    ``exclude_appointment`` is being moved: its own time counts as free.
    """
    schedules = _schedules_shown(
        service=service,
        practitioner=practitioner,
        first_day=first_day,
        days=days,
        exclude_appointment=exclude_appointment,
        new_patient=new_patient,
    )
    return _free_in(
        schedules,
        service=service,
        first_day=first_day,
        days=days,
        now=now,
        ignore_notice=ignore_notice,
    )


def slot_list_first_week(
    *,
    service: Service,
    practitioner: Practitioner | None,
    today: dt.date,
    search_days: int,
    week_days: int,
    now: dt.datetime,
    new_patient: bool = False,
) -> tuple[dt.date, list[slots.Slot]] | None:
    """The first local date within ``search_days`` of ``today`` with a free time, and the
    free times of the ``week_days`` from it; None when nothing is free. The schedule is read
    once for the whole search (one cached entry), and the free times are worked out a week
    at a time, stopping at the first week with any: usually one week, not four."""
    schedules = _schedules_shown(
        service=service,
        practitioner=practitioner,
        first_day=today,
        days=search_days,
        new_patient=new_patient,
    )
    tz = timezone.get_default_timezone()
    last_searched = today + dt.timedelta(days=search_days - 1)
    for offset in range(0, search_days, week_days):
        chunk_start = today + dt.timedelta(days=offset)
        chunk_days = min(week_days, search_days - offset)
        found = _free_in(
            schedules, service=service, first_day=chunk_start, days=chunk_days, now=now
        )
        if not found:
            continue
        first = found[0].start.astimezone(tz).date()
        week_end = first + dt.timedelta(days=week_days - 1)
        chunk_end = chunk_start + dt.timedelta(days=chunk_days - 1)
        if week_end <= chunk_end:
            return first, found
        if week_end > last_searched:
            # The week runs past what was read: read it on its own.
            return first, slot_list_free(
                service=service, practitioner=practitioner, first_day=first, days=week_days, now=now
            )
        rest = _free_in(
            schedules,
            service=service,
            first_day=chunk_end + dt.timedelta(days=1),
            days=(week_end - chunk_end).days,
            now=now,
        )
        return first, found + rest
    return None


def slot_list_nearest(
    *,
    service: Service,
    practitioner: Practitioner | None,
    around: dt.datetime,
    now: dt.datetime,
    policy: BookingPolicy | None = None,
    ignore_notice: bool = False,
    new_patient: bool = False,
) -> list[slots.Slot]:
    """The free times closest to ``around``, offered when the chosen one was just taken.

    ``policy`` is the one the booking was checked with; without it, it is loaded.
    ``ignore_notice`` for staff, who may book inside the minimum notice; a ``new_patient``
    is offered only practitioners who see new patients.
    """
    tz = timezone.get_default_timezone()
    practitioners = _practitioners_shown(service, practitioner, new_patient=new_patient)
    day = around.astimezone(tz).date()
    start, end = _window(day - dt.timedelta(days=7), 15, tz)
    return slots.nearest_free(
        schedules=schedule_list_for(practitioners=practitioners, start=start, end=end),
        around=around,
        duration=dt.timedelta(minutes=service.duration_minutes),
        policy=slot_policy_build(policy or booking_policy_get(), ignore_notice=ignore_notice),
        now=now,
        tz=tz,
    )


def appointment_list_covered_by(*, time_off: TimeOff) -> list[Appointment]:
    """The confirmed appointments whose session overlaps ``time_off``: its practitioner's,
    or everyone's for a clinic closure. Soonest first."""
    appointments = Appointment.objects.filter(
        status=AppointmentStatus.CONFIRMED,
        starts_at__lt=time_off.ends_at,
        ends_at__gt=time_off.starts_at,
    )
    if time_off.practitioner_id:
        appointments = appointments.filter(practitioner_id=time_off.practitioner_id)
    return list(
        appointments.select_related("patient", "service", "practitioner__profile").order_by(
            "starts_at", "pk"
        )
    )


def slot_list_for_moves(
    *, appointments: list[Appointment], now: dt.datetime, limit: int = 5
) -> dict[int, list[slots.Slot]]:
    """For each appointment, the free times nearest to it with its own practitioner, closest
    first. The first time offered to one never overlaps the first offered to another, so
    accepting every first choice moves them all."""
    policy = booking_policy_get()
    promised: dict[int, list[slots.Interval]] = defaultdict(list)
    offers: dict[int, list[slots.Slot]] = {}
    for appointment in appointments:
        length = appointment.blocked_until - appointment.starts_at
        nearest = slot_list_nearest(
            service=appointment.service,
            practitioner=appointment.practitioner,
            around=appointment.starts_at,
            now=now,
            policy=policy,
        )
        free = slots.closest_clear_of(
            nearest,
            around=appointment.starts_at,
            length=length,
            taken=promised[appointment.practitioner_id],
        )[:limit]
        if free:
            promised[appointment.practitioner_id].append(
                slots.Interval(free[0].start, free[0].start + length)
            )
        offers[appointment.pk] = free
    return offers
