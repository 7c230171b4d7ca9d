"""Patients and their appointments: lookups, what is held about a patient, reports, the feed."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, Q
from django.utils import timezone

from ..contracts import PatientDetails
from ..models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Intake,
    Patient,
    Practitioner,
)
from ..phone import InvalidPhone, phone_normalise


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


def patient_is_new(*, patient: Patient | None, now: dt.datetime | None = None) -> bool:
    """Whether the practice has never seen this patient: no visit marked kept, and none
    still confirmed whose time has begun (not marked yet). A patient not on record is new;
    a first visit booked but still to come does not make a patient known."""
    if patient is None:
        return True
    now = now or timezone.now()
    seen = Q(status=AppointmentStatus.COMPLETED) | Q(
        status=AppointmentStatus.CONFIRMED, starts_at__lte=now
    )
    return not Appointment.objects.filter(seen, patient=patient).exists()


def patient_get_returning(*, email: str, date_of_birth: dt.date) -> Patient | None:
    """A patient with this email and date of birth who has been seen before."""
    patient = patient_get_by_email(email=email)
    if patient is None or patient.date_of_birth != date_of_birth:
        return None
    return None if patient_is_new(patient=patient) else patient


def patient_answers_on_file(*, patient: Patient | None) -> list[str] | None:
    """The flags of the patient's latest answers, or None when they never answered (or are
    not on record yet): a phone booking then knows nothing of their health."""
    if patient is None:
        return None
    flags = (
        Appointment.objects.filter(patient=patient, screened=True)
        .order_by("-created_at", "-pk")
        .values_list("flags", flat=True)
        .first()
    )
    return None if flags is None else list(flags)


def patient_latest_flags(*, patient: Patient | None) -> list[str]:
    """The flags of the patient's latest answers (none when they never answered, or for a
    patient not on record yet)."""
    return patient_answers_on_file(patient=patient) or []


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
