"""What the patient's-rights modules share: how an erased record looks, the names of the log
actions, and where the emails sent about an appointment are kept."""

from __future__ import annotations

import datetime as dt

from django.apps import apps

from .. import selectors
from ..models import Patient

EXPORT_ACTION = "booking.export_patient"
ERASE_ACTION = "booking.erase_patient"

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "patient"
ERASED_LABEL = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"
# Reserved never to exist (RFC 2606): nothing can be delivered to an erased address.
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
    return selectors.patient_get_by_email(email=email or "")


def email_task_runs(appointment_ids: list[int]):
    """The stored runs of the email tasks for these appointments (the database task queue
    keeps them; other task backends keep nothing)."""
    if not apps.is_installed("django_tasks_db") or not appointment_ids:
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path__in=list(EMAIL_TASKS),
        args_kwargs__kwargs__appointment_id__in=appointment_ids,
    )
