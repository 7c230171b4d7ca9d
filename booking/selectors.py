"""Read-only queries for the booking domain. The arithmetic lives in ``slots``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from . import schedule_cache, slots
from .models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)


def practice_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def service_list_public(*, allow_electrical: bool = True) -> QuerySet[Service]:
    """Active services in the order the practice lists them."""
    services = Service.objects.active().order_by("sort_order", "name")
    if not allow_electrical:
        services = services.filter(uses_electrical_stimulation=False)
    return services


def service_get_public(*, slug: str) -> Service | None:
    return service_list_public().filter(slug=slug).first()


def practitioner_list_for_service(*, service: Service) -> list[Practitioner]:
    return list(
        service.practitioners.filter(is_active=True).select_related("profile").order_by("pk")
    )


def booking_policy() -> BookingPolicy:
    return BookingPolicy.load()


def can_patient_change(appointment: Appointment, *, now: dt.datetime) -> bool:
    """Whether the patient may still cancel or move online (the cancellation window)."""
    window = booking_policy().cancellation_window
    return (
        appointment.status == AppointmentStatus.CONFIRMED and appointment.starts_at - now >= window
    )


def booking_policy_for_slots() -> BookingPolicy:
    """The policy for showing free times, cached with the schedule (``schedule_cache``)."""
    return schedule_cache.remember("policy", booking_policy)


def slot_policy(policy: BookingPolicy, *, ignore_notice: bool = False) -> slots.Policy:
    return slots.Policy(
        step=dt.timedelta(minutes=policy.slot_step_minutes),
        buffer=policy.buffer,
        min_notice=dt.timedelta(0)
        if ignore_notice
        else dt.timedelta(hours=policy.minimum_notice_hours),
        max_days_ahead=policy.booking_horizon_days,
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


def schedules_for(
    *,
    practitioners: Iterable[Practitioner],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment: Appointment | None = None,
) -> list[slots.Schedule]:
    """Each practitioner's hours, time off and booked time between ``start`` and ``end``.

    Three queries, whatever the number of practitioners.
    """
    practitioners = list(practitioners)
    ids = [p.pk for p in practitioners]
    hours = weekly_hours_list_for(practitioner_ids=ids)

    busy: dict[int, list[slots.Interval]] = defaultdict(list)
    booked = (
        Appointment.objects.holding_time()
        .filter(practitioner_id__in=ids, starts_at__lt=end, blocked_until__gt=start)
        .values_list("pk", "practitioner_id", "starts_at", "blocked_until")
    )
    for pk, practitioner_id, starts_at, blocked_until in booked:
        if exclude_appointment is None or pk != exclude_appointment.pk:
            busy[practitioner_id].append(slots.Interval(starts_at, blocked_until))

    away: dict[int | None, list[slots.Interval]] = defaultdict(list)
    for row in time_off_list_for(practitioner_ids=ids, start=start, end=end):
        away[row.practitioner_id].append(slots.Interval(row.starts_at, row.ends_at))

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


def free_slots_for_service(
    *,
    service: Service,
    practitioner: Practitioner | None,
    first_day: dt.date,
    days: int,
    now: dt.datetime,
    ignore_notice: bool = False,
    exclude_appointment: Appointment | None = None,
) -> list[slots.Slot]:
    """Free start times for ``service`` with one practitioner, or any who offers it.

    ``exclude_appointment`` is being moved: its own time counts as free.
    """
    tz = practice_zone()
    start, end = _window(first_day, days, tz)

    def load() -> list[slots.Schedule]:
        practitioners = (
            [practitioner] if practitioner else practitioner_list_for_service(service=service)
        )
        return schedules_for(
            practitioners=practitioners,
            start=start,
            end=end,
            exclude_appointment=exclude_appointment,
        )

    # Moving an appointment frees its own time: that view of the schedule is not shared.
    schedules = (
        load()
        if exclude_appointment
        else schedule_cache.remember(
            f"schedules:{service.pk}:{practitioner.pk if practitioner else 'any'}:"
            f"{start.isoformat()}:{end.isoformat()}",
            load,
        )
    )
    return slots.free_slots(
        schedules=schedules,
        duration=dt.timedelta(minutes=service.duration_minutes),
        policy=slot_policy(booking_policy_for_slots(), ignore_notice=ignore_notice),
        now=now,
        tz=tz,
        first_day=first_day,
        days=days,
    )


def nearest_free_slots(
    *,
    service: Service,
    practitioner: Practitioner | None,
    around: dt.datetime,
    now: dt.datetime,
    policy: BookingPolicy | None = None,
) -> list[slots.Slot]:
    """The free times closest to ``around``, offered when the chosen one was just taken.

    ``policy`` is the one the booking was checked with; without it, it is loaded.
    """
    tz = practice_zone()
    practitioners = (
        [practitioner] if practitioner else practitioner_list_for_service(service=service)
    )
    day = around.astimezone(tz).date()
    start, end = _window(day - dt.timedelta(days=7), 15, tz)
    return slots.nearest_free(
        schedules=schedules_for(practitioners=practitioners, start=start, end=end),
        around=around,
        duration=dt.timedelta(minutes=service.duration_minutes),
        policy=slot_policy(policy or booking_policy()),
        now=now,
        tz=tz,
    )


def appointment_get_by_idempotency_key(*, key: uuid.UUID | None) -> Appointment | None:
    """The appointment already booked with ``key`` (a second click), or None; None, without
    a query, when there is no key."""
    return Appointment.objects.filter(idempotency_key=key).first() if key else None


def patient_find_returning(*, email: str, date_of_birth: dt.date) -> Patient | None:
    """A patient with this email and date of birth who has been seen before."""
    patient = Patient.objects.filter(email__iexact=email.strip()).first()
    if patient is None or patient.date_of_birth != date_of_birth:
        return None
    return patient if patient.appointments.exists() else None


def appointment_get_by_public_id(*, public_id) -> Appointment | None:
    return (
        Appointment.objects.select_related("patient", "practitioner__profile", "service")
        .filter(public_id=public_id)
        .first()
    )
