"""The patient's rights over what the practice holds: a copy of it, erasure, and retention.

- ``patient_export`` gathers everything held about one patient, as plain JSON-ready data.
- ``patient_erase`` removes the person and their health information but keeps their
  appointments as anonymous rows, so the practice's counts (per service, practitioner,
  month, source article) stay right.
- ``intakes_purge_expired`` deletes intake answers ``INTAKE_RETENTION_YEARS`` after a
  patient's last appointment; the daily task in ``tasks`` runs it.

No model change is needed: an erased patient keeps their row (appointments point at it),
with placeholders in place of everything that described them. The placeholder address
ends in ``.invalid``, a domain reserved never to exist (RFC 2606), so nothing can ever be
delivered to it and nobody booking later can type their way into the old record.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import asdict, dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from . import intake as questions
from . import notifications
from .access import VIEW_INTAKE_ACTION
from .forms import INTAKE_QUESTION_NAMES, intake_rows
from .models import Appointment, AppointmentNote, AppointmentStatus, Intake, Patient
from .selectors import practice_zone

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
EXPORT_ACTION = "booking.export_patient"
ERASE_ACTION = "booking.erase_patient"

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "patient"
ERASED_LABEL = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"
ERASED_EMAIL_DOMAIN = "erased.invalid"
# The column cannot be empty; this date stands for "erased", never for a real birthday.
ERASED_DATE_OF_BIRTH = dt.date(1900, 1, 1)

# The tasks that email about an appointment; their stored runs are the email history.
EMAIL_TASKS = {
    "booking.tasks.send_patient_email": "patient",
    "booking.tasks.send_practitioner_email": "practitioner",
    "booking.tasks.send_reminder": "patient",
}


def is_erased(patient: Patient) -> bool:
    return patient.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")


def patient_find(*, email: str | None = None, pk: int | None = None) -> Patient | None:
    """The patient with this address (any case) or id, for the commands."""
    if pk is not None:
        return Patient.objects.filter(pk=pk).first()
    return Patient.objects.filter(email__iexact=(email or "").strip()).first()


# --- Export -------------------------------------------------------------------------------


def _iso(value) -> str | None:
    """Dates as ISO 8601; times in UTC, so that one export reads the same everywhere."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _local(value: dt.datetime | None) -> str | None:
    """The same moment as the practice's clock showed it, for a person reading the file."""
    return value.astimezone(practice_zone()).isoformat() if value else None


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _answers(answers: dict) -> list[dict]:
    """Each answer with its question as the form asked it; keys no form asks any more
    (an older version of the intake) follow under their stored name, so none is left out."""
    rows = [{"question": q, "answer": a} for q, a in intake_rows(answers)]
    for name in sorted(name for name in answers if name not in INTAKE_QUESTION_NAMES):
        rows.append({"question": name, "answer": json.dumps(answers[name], sort_keys=True)})
    return rows


def _intake_data(intake: Intake | None) -> dict | None:
    if intake is None:
        return None
    answers = intake.answers or {}
    return {
        "kind": intake.get_kind_display(),
        "pain_score": intake.pain_score,
        "answers": _answers(answers),
        "answers_as_stored": answers,
        "consented_to_treatment_at": _iso(intake.consented_at),
        "privacy_notice_acknowledged_at": _iso(intake.privacy_acknowledged_at),
        "cancellation_policy_acknowledged_at": _iso(intake.cancellation_policy_acknowledged_at),
        "answered_at": _iso(intake.created_at),
    }


def _appointment_data(appointment: Appointment) -> dict:
    source = appointment.source_page
    return {
        "id": appointment.pk,
        "starts_at": _iso(appointment.starts_at),
        "ends_at": _iso(appointment.ends_at),
        "starts_at_local": _local(appointment.starts_at),
        "service": appointment.service.name,
        "practitioner": appointment.practitioner.name,
        "status": appointment.get_status_display(),
        "screening_flags": [questions.FLAG_LABELS.get(f, f) for f in appointment.flags],
        "first_visit": appointment.is_first_visit,
        "booked_by_staff": appointment.booked_by_staff,
        "booked_from_article": {"id": source.pk, "title": source.title} if source else None,
        "booked_at": _iso(appointment.created_at),
        "last_changed_at": _iso(appointment.updated_at),
        "reminder_sent_at": _iso(appointment.reminder_sent_at),
        "cancelled_at": _iso(appointment.cancelled_at),
        "cancellation_reason": appointment.cancellation_reason,
        "intake": _intake_data(getattr(appointment, "intake", None)),
        "staff_notes": [
            {"written_at": _iso(note.created_at), "by": _person(note.author), "text": note.text}
            for note in sorted(appointment.notes.all(), key=lambda n: (n.created_at, n.pk))
        ],
    }


def _log_entries(model, object_ids: list[int]):
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in object_ids],
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )


def _intake_views(appointment_ids: list[int]) -> list[dict]:
    """Who looked at the intake answers, when, and where (the chart-access log)."""
    return [
        {
            "appointment_id": int(entry.object_id),
            "viewed_at": _iso(entry.timestamp),
            "by": _person(entry.user),
            "where": (entry.data or {}).get("where", ""),
        }
        for entry in _log_entries(Appointment, appointment_ids).filter(action=VIEW_INTAKE_ACTION)
    ]


def _record_history(patient: Patient, appointment_ids: list[int]) -> list[dict]:
    """Every other log entry about the patient or their appointments (created, edited,
    exported...)."""
    about_patient = [
        {"action": e.action, "at": _iso(e.timestamp), "by": _person(e.user), "about": "patient"}
        for e in _log_entries(Patient, [patient.pk])
    ]
    about_appointments = [
        {
            "action": e.action,
            "at": _iso(e.timestamp),
            "by": _person(e.user),
            "about": f"appointment {e.object_id}",
        }
        for e in _log_entries(Appointment, appointment_ids).exclude(action=VIEW_INTAKE_ACTION)
    ]
    return sorted(about_patient + about_appointments, key=lambda row: (row["at"], row["about"]))


def _email_runs(appointment_ids: list[int]):
    """The stored runs of the email tasks for these appointments (the database task queue
    keeps them; other task backends keep nothing)."""
    if not apps.is_installed("django_tasks_db") or not appointment_ids:
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path__in=list(EMAIL_TASKS),
        args_kwargs__kwargs__appointment_id__in=appointment_ids,
    )


def _email_history(appointment_ids: list[int]) -> list[dict]:
    runs = _email_runs(appointment_ids)
    if runs is None:
        return []
    return [
        {
            "appointment_id": run.args_kwargs["kwargs"]["appointment_id"],
            "to": EMAIL_TASKS[run.task_path],
            "kind": run.args_kwargs["kwargs"].get("kind", "reminder"),
            "status": run.status,
            "queued_at": _iso(run.enqueued_at),
            "not_before": _iso(run.run_after) if run.run_after.year < 9999 else None,
            "finished_at": _iso(run.finished_at),
            "outcome": run.return_value,
        }
        for run in runs.order_by("enqueued_at", "pk")
    ]


def patient_export(patient: Patient, *, now: dt.datetime | None = None) -> dict:
    """Everything held about ``patient``: details, appointments with their intakes and
    notes, who viewed the answers, the record's history and the emails sent.

    JSON-ready (strings, numbers, lists, dicts); ``patient_export_json`` writes it with
    sorted keys. Left out are random technical keys (the id behind the manage link, the
    double-click guard) that say nothing about the patient and would only help someone
    holding the file to act on the bookings.
    """
    appointments = list(
        Appointment.objects.filter(patient=patient)
        .select_related("service", "practitioner__profile", "source_page", "intake")
        .prefetch_related("notes__author")
        .order_by("starts_at", "pk")
    )
    ids = [a.pk for a in appointments]
    return {
        "export": {
            "format": EXPORT_FORMAT,
            "made_at": _iso(now or timezone.now()),
            "practice_time_zone": settings.TIME_ZONE,
            "times": "ISO 8601 in UTC; *_local fields in the practice's time zone",
        },
        "patient": {
            "id": patient.pk,
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "email": patient.email,
            "phone": patient.phone,
            "date_of_birth": _iso(patient.date_of_birth),
            "record_created_at": _iso(patient.created_at),
            "erased": is_erased(patient),
        },
        "appointments": [_appointment_data(a) for a in appointments],
        "intake_views": _intake_views(ids),
        "record_history": _record_history(patient, ids),
        "emails": _email_history(ids),
    }


def patient_export_json(patient: Patient, *, now: dt.datetime | None = None) -> str:
    """The export as text: sorted keys and fixed indentation, so two exports of the same
    record compare line by line."""
    return json.dumps(patient_export(patient, now=now), sort_keys=True, indent=2) + "\n"


def record_export(patient: Patient, *, by=None, via: str) -> None:
    """An export holds health information: who made one goes into the log, like a view."""
    log(instance=patient, action=EXPORT_ACTION, user=by, data={"via": via})
    logger.info("Patient %s exported (%s) by user %s", patient.pk, via, getattr(by, "pk", None))


# --- Erasure ------------------------------------------------------------------------------


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
    """Erases the patient in one transaction, or not at all.

    Removed: name, email, phone, date of birth, every intake (answers, pain score,
    consents), every staff note, the screening flags and cancellation reasons on the
    appointments, and the stored email history (a failed send's record can hold the
    address). Kept: the appointments themselves (time, service, practitioner, status,
    source article) on an anonymous record, and the log of who viewed answers (it names
    appointments, not people).

    Upcoming appointments are cancelled first; their practitioner is told (the notice now
    names "Erased patient"), the patient is not: there is no address left to write to.
    Every appointment gets a new random id, so the old manage links stop working, and
    its change counter moves on, so an email still waiting in the queue is dropped as
    out of date; a waiting reminder finds the appointment cancelled or past. The
    patient's address is free again: booking with it later makes a new record.
    ``by`` (a user, or None from the command line) is logged, with counts only.
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
        email_records_deleted = _forget_email_history(ids)

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


def _forget_email_history(appointment_ids: list[int]) -> int:
    """Deletes the finished email runs; waiting ones stay and will find nothing to send."""
    runs = _email_runs(appointment_ids)
    if runs is None:
        return 0
    from django.tasks import TaskResultStatus

    deleted, _ = runs.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).delete()
    return deleted


# --- Retention ----------------------------------------------------------------------------


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same date and time ``years`` earlier; February 29 becomes February 28."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return years_before(now, settings.INTAKE_RETENTION_YEARS)


def intakes_purge_expired(now: dt.datetime) -> int:
    """Deletes the intakes of every patient whose last appointment (whatever became of it)
    started before the retention cutoff; returns how many. The appointments stay, with
    their screening flags cleared, since the flags repeat answers.

    An appointment within the period keeps all of that patient's intakes: the record is
    kept whole while the patient is in touch. Running it again deletes nothing more.
    """
    cutoff = retention_cutoff(now)
    expired = (
        Patient.objects.annotate(last_appointment=Max("appointments__starts_at"))
        .filter(last_appointment__lt=cutoff)
        .values("pk")
    )
    with transaction.atomic():
        deleted, _ = Intake.objects.filter(appointment__patient__in=expired).delete()
        Appointment.objects.filter(patient__in=expired).exclude(flags=[]).update(flags=[])
    return deleted
