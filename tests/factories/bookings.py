"""Bookings made through the booking service as the site makes them, and the patients
behind them: their details and intake answers, visits kept before (a returning patient),
manage links' tokens and the notices a booking queues.

Tests book through ``booking.services`` rather than writing rows, so that what they look at
is what a patient's booking leaves behind; the schedule is the tests' own
(``tests.factories.practice``)."""

import datetime as dt
import itertools

from django.db.models import F
from django.utils import timezone

from booking import intake, selectors, services
from booking.manage_links import manage_link_create
from booking.models import Appointment, AppointmentStatus, Patient, Practitioner, Service
from booking.patients.records import patient_get_or_create
from tests.factories.practice import practitioner

_emails = itertools.count(1)


def details(**overrides) -> services.PatientDetails:
    values = {
        "first_name": "Test",
        "last_name": "Patient",
        "email": f"patient{next(_emails)}@example.com",
        "phone": "(555) 010-0000",
        "date_of_birth": dt.date(1975, 1, 1),
    }
    values.update(overrides)
    return services.PatientDetails(**values)


def answers(*, kind: str = "new", **overrides) -> services.IntakeAnswers:
    """Answers with nothing to report, but for ``overrides``; ``kind="returning"``: the
    short questions of a patient seen before."""
    values = intake.no_answers()
    values.update(overrides)
    return services.IntakeAnswers(kind=kind, pain_score=5, answers=values)


ANYONE = None
_DEFAULT = object()


def seen_before(
    *, email: str, days_ago: int = 14, who: Practitioner | None = None, at: dt.time | None = None
) -> Appointment:
    """A kept visit ``days_ago`` days ago (at this local time, or now's) for the patient with
    this address (``who``, by default the patient's latest practitioner, a follow-up): a
    returning patient from now on."""
    patient = Patient.objects.get(email__iexact=email)
    latest = patient.appointments.order_by("-starts_at").first()
    start = timezone.localtime(timezone.now() - dt.timedelta(days=days_ago))
    if at is not None:
        start = start.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    service = Service.objects.get(slug="follow-up-treatment")
    end = start + dt.timedelta(minutes=service.duration_minutes)
    return Appointment.objects.create(
        patient=patient,
        practitioner=who or (latest.practitioner if latest else practitioner()),
        service=service,
        starts_at=start,
        ends_at=end,
        blocked_until=end,
        status=AppointmentStatus.COMPLETED,
        screened=True,
    )


_earlier_visits = itertools.count(14)


def returning(*, who: Practitioner, **overrides) -> services.PatientDetails:
    """A patient ``who`` has seen before (a kept visit two weeks or more ago, early in the
    morning of a day of its own, clear of the tests' bookings): their details, to book what
    is open only to returning patients, as the demo's follow-ups are."""
    patient = details(**overrides)
    patient_get_or_create(patient)
    seen_before(email=patient.email, who=who, days_ago=next(_earlier_visits), at=dt.time(6))
    return patient


def seen(appointment: Appointment, *, days_ago: int = 14) -> Appointment:
    """The visit moved to ``days_ago`` days before now and marked kept: its patient has
    been seen (``selectors.patient_is_new``)."""
    shift = appointment.starts_at - (timezone.now() - dt.timedelta(days=days_ago))
    Appointment.objects.filter(pk=appointment.pk).update(
        status=AppointmentStatus.COMPLETED,
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        blocked_until=F("blocked_until") - shift,
    )
    appointment.refresh_from_db()
    return appointment


def book(*, start, service: str = "follow-up-treatment", who=_DEFAULT, **kwargs):
    """Books through the service; ``who=ANYONE`` asks for the first available practitioner,
    ``intake=None`` books with no answers (as staff do by phone). By default the answers are
    the ones the site asks: a returning patient's (``returning``) short questions, or else
    the new patient's."""
    patient = kwargs.pop("patient", None) or details()
    if "intake" not in kwargs:
        known = selectors.patient_get_for_details(details=patient)
        kwargs["intake"] = answers(
            kind="new" if selectors.patient_is_new(patient=known) else "returning"
        )
    return services.appointment_book(
        service=Service.objects.get(slug=service),
        practitioner=practitioner() if who is _DEFAULT else who,
        start=start,
        details=patient,
        answers=kwargs.pop("intake"),
        **kwargs,
    )


def notices_queued() -> None:
    """With the database queue: runs the queued ``send_notices`` tasks as a worker would,
    so that the emails and reminder they queue are there to look at, none of them sent."""
    from django_tasks_db.models import DBTaskResult

    from booking.notifications import send_notices

    waiting = DBTaskResult.objects.filter(task_path=send_notices.module_path, status="READY")
    for run in waiting:
        send_notices.call(**run.args_kwargs["kwargs"])
    waiting.update(status="SUCCESSFUL")


def manage_token(appointment) -> str:
    """A manage link's token for ``appointment``, the same one each time for the same object
    (a link is made per email; pages redirect to the link they were opened with)."""
    token = getattr(appointment, "_test_manage_token", None)
    if token is None:
        token = manage_link_create(appointment=appointment)
        appointment._test_manage_token = token
    return token
