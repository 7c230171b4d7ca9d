"""Read-only queries for the booking domain. The arithmetic lives in ``slots``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from . import schedule_cache, slots
from .calendars.selectors import busy_time_list_for
from .contracts import PatientDetails
from .models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    BookingPolicy,
    Intake,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from .phone import InvalidPhone, phone_normalise


def service_list_public(*, allow_electrical: bool = True) -> QuerySet[Service]:
    """Active services in the order the practice lists them."""
    services = Service.objects.active().order_by("sort_order", "name")
    if not allow_electrical:
        services = services.filter(uses_electrical_stimulation=False)
    return services


def service_get_active(*, pk: int) -> Service | None:
    return Service.objects.active().filter(pk=pk).first()


def practitioner_list_active() -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(is_active=True).select_related("profile")


def practitioner_get(*, pk: int) -> Practitioner | None:
    return Practitioner.objects.select_related("profile").filter(pk=pk).first()


def source_page_is_live(*, pk: int) -> bool:
    """Whether a booking may name this page as where it came from."""
    return Page.objects.live().filter(pk=pk).exists()


def practitioner_list_for_service(*, service: Service) -> list[Practitioner]:
    return list(
        service.practitioners.filter(is_active=True).select_related("profile").order_by("pk")
    )


def booking_policy_get() -> BookingPolicy:
    return BookingPolicy.load()


def appointment_patient_can_change(appointment: Appointment, *, now: dt.datetime) -> bool:
    """Whether the patient may still cancel or move online (the cancellation window)."""
    window = booking_policy_get().cancellation_window
    return (
        appointment.status == AppointmentStatus.CONFIRMED and appointment.starts_at - now >= window
    )


def booking_policy_get_cached() -> BookingPolicy:
    """The policy for showing free times, cached with the schedule (``schedule_cache``)."""
    return schedule_cache.remember("policy", booking_policy_get)


def slot_policy_build(policy: BookingPolicy, *, ignore_notice: bool = False) -> slots.Policy:
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


def slot_list_free(
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
    tz = timezone.get_default_timezone()
    start, end = _window(first_day, days, tz)

    def load() -> list[slots.Schedule]:
        practitioners = (
            [practitioner] if practitioner else practitioner_list_for_service(service=service)
        )
        return schedule_list_for(
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
        policy=slot_policy_build(booking_policy_get_cached(), ignore_notice=ignore_notice),
        now=now,
        tz=tz,
        first_day=first_day,
        days=days,
    )


def slot_list_nearest(
    *,
    service: Service,
    practitioner: Practitioner | None,
    around: dt.datetime,
    now: dt.datetime,
    policy: BookingPolicy | None = None,
    ignore_notice: bool = False,
) -> list[slots.Slot]:
    """The free times closest to ``around``, offered when the chosen one was just taken.

    ``policy`` is the one the booking was checked with; without it, it is loaded.
    ``ignore_notice`` for staff, who may book inside the minimum notice.
    """
    tz = timezone.get_default_timezone()
    practitioners = (
        [practitioner] if practitioner else practitioner_list_for_service(service=service)
    )
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


def appointment_get_by_idempotency_key(*, key: uuid.UUID | None) -> Appointment | None:
    """The appointment already booked with ``key`` (a second click), or None; None, without
    a query, when there is no key."""
    return Appointment.objects.filter(idempotency_key=key).first() if key else None


def patient_get_by_email(*, email: str) -> Patient | None:
    """The patient with this address, whatever its case and surrounding spaces; None, without
    a query, for no address (many patients booked by phone have none)."""
    email = email.strip()
    return Patient.objects.filter(email__iexact=email).first() if email else None


def _digits(phone: str) -> str:
    """A number to compare by: its E.164 form, or its digits when it cannot be read as one
    (older records); so "(555) 010-0000" and "+15550100000" are the same number."""
    try:
        return phone_normalise(phone)
    except InvalidPhone:
        return "".join(c for c in phone if c.isascii() and c.isdigit())


def patient_get_by_phone(
    *, first_name: str, last_name: str, date_of_birth: dt.date, phone: str
) -> Patient | None:
    """The patient with this name, date of birth and phone number (its digits only, so
    "(555) 010-0000" is "555 010 0000"): how a caller without an email is found again."""
    digits = _digits(phone)
    if not digits:
        return None
    candidates = Patient.objects.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    ).order_by("pk")
    return next((p for p in candidates if _digits(p.phone) == digits), None)


def patient_get_for_details(*, details: PatientDetails) -> Patient | None:
    """The existing patient these details name: by email when one is given, else by phone,
    name and date of birth."""
    if details.email.strip():
        return patient_get_by_email(email=details.email)
    return patient_get_by_phone(
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        phone=details.phone,
    )


def patient_get_returning(*, email: str, date_of_birth: dt.date) -> Patient | None:
    """A patient with this email and date of birth who has been seen before."""
    patient = patient_get_by_email(email=email)
    if patient is None or patient.date_of_birth != date_of_birth:
        return None
    return patient if patient.appointments.exists() else None


def patient_latest_flags(*, patient: Patient | None) -> list[str]:
    """The flags of the patient's latest answers (none when they never answered, or for a
    patient not on record yet)."""
    if patient is None:
        return []
    flags = (
        Appointment.objects.filter(patient=patient, screened=True)
        .order_by("-created_at", "-pk")
        .values_list("flags", flat=True)
        .first()
    )
    return list(flags or [])


def appointment_get_by_public_id(*, public_id) -> Appointment | None:
    return (
        Appointment.objects.select_related("patient", "practitioner__profile", "service")
        .filter(public_id=public_id)
        .first()
    )


def patient_holdings(*, patient: Patient, now: dt.datetime) -> dict[str, int]:
    """How much the practice holds about a patient, as the export and erasure pages show it."""
    appointments = Appointment.objects.filter(patient=patient)
    return {
        "appointment_count": appointments.count(),
        "upcoming_count": appointments.filter(
            status=AppointmentStatus.CONFIRMED, starts_at__gt=now
        ).count(),
        "intake_count": Intake.objects.filter(appointment__patient=patient).count(),
        "note_count": AppointmentNote.objects.filter(appointment__patient=patient).count(),
    }


def appointment_count_by_article(*, start: dt.date, end: dt.date) -> list[dict]:
    """Bookings made in [start, end] (local dates), grouped by the article they came from:
    ``bookings`` that still stand (kept or attended) and ``cancelled`` apart."""
    tz = timezone.get_default_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return list(
        Appointment.objects.filter(
            created_at__gte=since, created_at__lt=until, source_page__isnull=False
        )
        .values("source_page_id", "source_page__title", "source_page__url_path")
        .annotate(
            bookings=Count("pk", filter=~Q(status=AppointmentStatus.CANCELLED)),
            cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        )
        .order_by("-bookings", "source_page__title")
    )


def practitioner_get_by_calendar_token(*, token: str) -> Practitioner | None:
    """The active practitioner whose private calendar feed this secret opens."""
    if len(token) < 20:  # never a real token: not worth a query
        return None
    return Practitioner.objects.filter(calendar_token=token, is_active=True).first()


def appointment_list_for_feed(*, practitioner: Practitioner, now: dt.datetime):
    """A practitioner's confirmed appointments from yesterday on, for their calendar feed."""
    return (
        Appointment.objects.filter(
            practitioner=practitioner,
            status=AppointmentStatus.CONFIRMED,
            ends_at__gte=now - dt.timedelta(days=1),
        )
        .select_related("patient", "service")
        .order_by("starts_at")[:500]
    )
