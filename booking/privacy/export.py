"""A copy of everything held about one patient (the right of access), as JSON-ready data,
and the log entry that says who made one."""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .. import questions
from ..access import VIEW_INTAKE_ACTION
from ..forms import INTAKE_QUESTION_NAMES, intake_rows
from ..models import Appointment, Intake, Patient, WaitlistEntry
from ..progress.peg import shown
from .records import EMAIL_TASKS, EXPORT_ACTION, email_task_runs, is_erased

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1


def _iso(value) -> str | None:
    """Dates as ISO 8601; times in UTC, so that one export reads the same everywhere."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _local(value: dt.datetime | None) -> str | None:
    """The same moment as the practice's clock showed it, for a person reading the file."""
    return value.astimezone(timezone.get_default_timezone()).isoformat() if value else None


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


def _peg_data(report) -> dict | None:
    """The PEG answers before this visit, with their score (booking/progress/peg.py)."""
    if report is None:
        return None
    return {
        **report.peg.as_dict(),
        "score": shown(report.peg.score),
        "answered_at": _iso(report.created_at),
    }


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
        "peg": _peg_data(getattr(appointment, "peg", None)),
        "staff_notes": [
            {
                "written_at": _iso(note.created_at),
                "by": _person(note.author),
                "kind": note.get_kind_display(),
                "text": note.text,
            }
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


def _email_history(appointment_ids: list[int]) -> list[dict]:
    runs = email_task_runs(appointment_ids)
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
    notes, who viewed the answers, the record's history, the emails sent and the waiting
    list's entries.

    JSON-ready (strings, numbers, lists, dicts); ``patient_export_json`` writes it with
    sorted keys. Left out are random technical keys (the id behind the manage link, the
    double-click guard) that say nothing about the patient and would only help someone
    holding the file to act on the bookings.
    """
    appointments = list(
        Appointment.objects.filter(patient=patient)
        .select_related("service", "practitioner__profile", "source_page", "intake", "peg")
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
        "waiting_list": _waiting_list(patient),
    }


def _waiting_list(patient: Patient) -> list[dict]:
    """The patient's waiting-list entries, with the answers an open one still keeps and the
    times offered (no link ids, as for the appointments)."""
    entries = WaitlistEntry.objects.filter(patient=patient).select_related(
        "service", "practitioner__profile"
    )
    return [
        {
            "service": entry.service.name,
            "practitioner": entry.practitioner.name if entry.practitioner_id else None,
            "earliest_date": _iso(entry.earliest_date),
            "latest_date": _iso(entry.latest_date),
            "weekdays": entry.weekdays,
            "parts_of_day": entry.parts_of_day,
            "status": entry.status,
            "urgent": entry.urgent,
            "joined_at": _iso(entry.created_at),
            "ends_at": _iso(entry.expires_at),
            "pain_score": entry.pain_score,
            "answers": _answers(entry.answers or {}),
            "offers": [
                {"starts_at": _iso(o.starts_at), "outcome": o.outcome}
                for o in entry.offers.order_by("created_at", "pk")
            ],
        }
        for entry in entries.order_by("created_at", "pk")
    ]


def patient_export_json(patient: Patient, *, now: dt.datetime | None = None) -> str:
    """The export as text: sorted keys and fixed indentation, so two exports of the same
    record compare line by line."""
    return json.dumps(patient_export(patient, now=now), sort_keys=True, indent=2) + "\n"


def patient_export_log(patient: Patient, *, by=None, via: str) -> None:
    """An export holds health information: who made one goes into the log, like a view."""
    log(instance=patient, action=EXPORT_ACTION, user=by, data={"via": via})
    logger.info("Patient %s exported (%s) by user %s", patient.pk, via, getattr(by, "pk", None))
