"""Screening writes: a staff booking's flags and a practitioner's override of a rule, and the
answers a patient booked by phone gives later. The rules themselves are booking/intake.py."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import intake, questions, selectors, tasks
from .contracts import BookingError, IntakeAnswers, PatientDetails, RuledOut, RuleOverride
from .models import Appointment, AppointmentNote, Intake, NoteKind, Service

logger = logging.getLogger(__name__)

OVERRIDE_ACTION = "booking.rule_override"
PHONE_WARNING_RULE = "Warning sign read from the phone script"

# What front desk tells a caller who gives a warning sign to the phone script; the booking
# is refused unless a practitioner books it with a written reason.
PHONE_REFUSALS = {
    "emergency": "Do not book. Tell the caller: call 911 or go to the emergency department "
    "now; do not wait for acupuncture.",
    "doctor": "Do not book. Tell the caller: see your doctor within 24 hours, before "
    "acupuncture (911 if it gets worse), and call us back once a doctor has seen you.",
}

# Electrical stimulation is ruled out by answers (an implant, pregnancy, seizures): never
# booked for someone whose answers have not come in.
NO_ANSWERS_NO_ELECTRICAL = (
    "This patient's health answers are not on file yet, and electrical stimulation is "
    "never booked without them. Book the same session without electrical stimulation; it "
    "can be changed once their answers are in."
)


def _with_script_override(flags: list[str], override: RuleOverride | None) -> list[str]:
    """A yes to the phone script refuses the booking unless a practitioner gave a reason."""
    if override is None or not override.warning:
        return flags
    if not override.reason.strip():
        raise RuledOut(str(PHONE_REFUSALS[override.warning]))
    return [*flags, questions.RULE_OVERRIDE]


def flags_carried_over(
    service: Service, details: PatientDetails, override: RuleOverride | None
) -> list[str]:
    """A staff booking's flags: those of the patient's latest answers, which also decide
    whether the service may be booked for them. Electrical stimulation needs answers on
    file: a caller who never gave any is booked a session without it."""
    on_file = selectors.patient_answers_on_file(
        patient=selectors.patient_get_for_details(details=details)
    )
    if on_file is None and service.uses_electrical_stimulation:
        raise BookingError(NO_ANSWERS_NO_ELECTRICAL)
    flags = _with_script_override(on_file or [], override)
    if service.uses_electrical_stimulation and intake.flags_rule_out_electrical_stimulation(flags):
        if override is None or not override.reason.strip():
            raise RuledOut(
                "This patient's latest answers rule out electrical stimulation. Choose a "
                "session without it, or a practitioner may book it with a written reason."
            )
        return list(dict.fromkeys([*flags, questions.RULE_OVERRIDE]))
    return flags


def override_record(appointment: Appointment, override: RuleOverride) -> None:
    """The reason goes into the appointment's notes (encrypted, staff only); the log says
    who overrode which rule, never why (the reason may hold health information)."""
    if override.warning:
        what = "Booked despite a warning sign the caller gave to the phone script"
        rule = PHONE_WARNING_RULE
    else:
        what = "Booked with electrical stimulation despite the patient's answers"
        rule = str(questions.Rule.NO_ELECTRICAL)
    AppointmentNote.objects.create(
        appointment=appointment,
        kind=NoteKind.CLINICAL,
        author=override.user,
        text=f"{what}: {override.reason.strip()}",
    )
    log(instance=appointment, action=OVERRIDE_ACTION, user=override.user, data={"rule": rule})
    logger.info("Rule overridden on appointment %s by user %s", appointment.pk, override.user.pk)


def appointment_screening_record(
    *, appointment: Appointment, answers: IntakeAnswers, age: int | None, now=None
) -> Appointment:
    """The answers a patient booked by phone gives through their link: the appointment is
    screened from now on, with the flags they set. Answers that need a doctor first are
    never recorded (the stop page shows instead: booking/views/screening.py)."""
    now = now or timezone.now()
    if intake.urgency(answers.answers, age):
        raise BookingError(str(intake.Refusal.SEE_A_DOCTOR))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        if appointment.screened:
            return appointment
        Intake.objects.update_or_create(
            appointment=appointment,
            defaults={
                "kind": answers.kind,
                "pain_score": answers.pain_score,
                "answers": answers.answers,
                "consented_at": now,
                "privacy_acknowledged_at": now,
                "cancellation_policy_acknowledged_at": now,
            },
        )
        flags = intake.screening_flags(answers.answers, age)
        if questions.RULE_OVERRIDE in appointment.flags:
            flags.append(questions.RULE_OVERRIDE)
        appointment.flags = flags
        appointment.screened = True
        appointment.save(update_fields=["flags", "screened", "updated_at"])
    return appointment


def appointment_screening_stopped(*, appointment: Appointment, now=None) -> None:
    """A patient booked by phone met a stop in the questions they answered through their
    link: the appointment reads "Stopped at screening: call the patient" and the practice
    is emailed, once. Nothing of the answers is kept, here or in the email."""
    now = now or timezone.now()
    stopped = Appointment.objects.filter(
        pk=appointment.pk, screened=False, screening_stopped_at__isnull=True
    ).update(screening_stopped_at=now, updated_at=now)
    if stopped:
        logger.info("Appointment %s stopped at screening", appointment.pk)
        transaction.on_commit(
            lambda: tasks.send_screening_stopped_email.enqueue(appointment_id=appointment.pk)
        )
