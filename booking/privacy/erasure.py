"""Erasure (the right to be forgotten): the person and their health information go, their
appointments stay as anonymous rows so the practice's counts stay right. The full rules are in
docs/privacy.md."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .. import notifications
from ..models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Intake,
    ManageLink,
    Patient,
    PegReport,
    WaitlistEntry,
)
from .records import (
    ERASE_ACTION,
    ERASED_DATE_OF_BIRTH,
    ERASED_EMAIL_DOMAIN,
    ERASED_FIRST_NAME,
    ERASED_LABEL,
    ERASED_LAST_NAME,
    email_task_runs,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed and kept: counts only, so it can be logged and shown."""

    patient_id: int
    appointments_kept: int
    appointments_cancelled: int
    intakes_deleted: int
    notes_deleted: int
    email_records_deleted: int
    log_entries_renamed: int


def _placeholder_email() -> str:
    return f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"


def patient_erase(
    patient: Patient, *, by, now: dt.datetime | None = None, via: str = "admin"
) -> Erasure:
    """Erases the patient in one transaction, or not at all, and returns the counts.

    Name, contact details, intakes, notes, flags and email history go; the appointments
    stay on the anonymous record, upcoming ones cancelled (their practitioners are told).
    ``by`` (a user, or None from the command line) is logged. See docs/privacy.md.
    """
    now = now or timezone.now()
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        appointments = list(
            Appointment.objects.select_for_update().filter(patient=patient).order_by("pk")
        )
        cancelled = [a.pk for a in appointments if _anonymise_appointment(a, now=now)]
        ids = [a.pk for a in appointments]
        intakes_deleted, _ = Intake.objects.filter(appointment_id__in=ids).delete()
        notes_deleted, _ = AppointmentNote.objects.filter(appointment_id__in=ids).delete()
        ManageLink.objects.filter(appointment_id__in=ids).delete()  # every link sent dies
        PegReport.objects.filter(appointment_id__in=ids).delete()
        email_records_deleted = _forget_email_history(ids)
        _forget_waiting_list(patient, now)

        patient.first_name = ERASED_FIRST_NAME
        patient.last_name = ERASED_LAST_NAME
        patient.email = _placeholder_email()
        patient.phone = ""
        patient.date_of_birth = ERASED_DATE_OF_BIRTH
        patient.save(update_fields=["first_name", "last_name", "email", "phone", "date_of_birth"])
        # Wagtail's log labels each entry with the record's name as it was then.
        renamed = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Patient), object_id=str(patient.pk)
        ).update(label=ERASED_LABEL)

        erasure = Erasure(
            patient_id=patient.pk,
            appointments_kept=len(appointments),
            appointments_cancelled=len(cancelled),
            intakes_deleted=intakes_deleted,
            notes_deleted=notes_deleted,
            email_records_deleted=email_records_deleted,
            log_entries_renamed=renamed,
        )
        log(
            instance=patient,
            action=ERASE_ACTION,
            user=by,
            title=ERASED_LABEL,
            data={**asdict(erasure), "via": via},
        )
        transaction.on_commit(lambda: notifications.practitioners_told_of_erasure(cancelled))
    logger.info("Patient %s erased (%s) by user %s", patient.pk, via, getattr(by, "pk", None))
    return erasure


def _anonymise_appointment(appointment: Appointment, *, now: dt.datetime) -> bool:
    """Strips what described the patient from one appointment; True if it was cancelled."""
    fields = ["public_id", "flags", "cancellation_reason", "sequence", "updated_at"]
    cancelling = appointment.status == AppointmentStatus.CONFIRMED and appointment.starts_at > now
    if cancelling:
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        fields += ["status", "cancelled_at"]
    appointment.public_id = uuid.uuid4()
    appointment.flags = []
    appointment.cancellation_reason = ""
    appointment.sequence += 1
    appointment.save(update_fields=fields)
    return cancelling


def _forget_waiting_list(patient: Patient, now: dt.datetime) -> None:
    """The patient's waiting-list entries go, with their answers and offers; a time held
    for them is released (not offered on: the sweep's next look at the list does that)."""
    held = list(
        Appointment.with_holds.filter(patient=patient, status=AppointmentStatus.HELD).values_list(
            "pk", flat=True
        )
    )
    Appointment.with_holds.filter(pk__in=held, status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.CANCELLED, cancelled_at=now
    )
    Appointment.with_holds.filter(pk__in=held, status=AppointmentStatus.CANCELLED).delete()
    WaitlistEntry.objects.filter(patient=patient).delete()


def _forget_email_history(appointment_ids: list[int]) -> int:
    """Deletes the finished email runs; waiting ones stay and will find nothing to send."""
    runs = email_task_runs(appointment_ids)
    if runs is None:
        return 0
    from django.tasks import TaskResultStatus

    deleted, _ = runs.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).delete()
    return deleted
