"""Background work: emails and reminders, run by the task worker (``manage.py db_worker``).

Sending can fail (the mail server is down): the task then enqueues itself again
for later, with a growing delay, so the booking stands and the email follows when
the server is back. Logs name appointments by id only, never a patient.
"""

import datetime as dt
import logging
import smtplib
import socket

from django.tasks import default_task_backend, task
from django.utils import timezone

from . import emails
from .models import Appointment, AppointmentStatus

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, socket.timeout, OSError)
MAX_ATTEMPTS = 60


def retry_delay(attempt: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … capped at 10 min: about 9 hours of trying in all."""
    return dt.timedelta(seconds=min(30 * 2 ** (attempt - 1), 600))


def _again_later(task_function, attempt: int, error: Exception, **kwargs) -> None:
    if attempt >= MAX_ATTEMPTS or not default_task_backend.supports_defer:
        raise error
    run_after = timezone.now() + retry_delay(attempt)
    task_function.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)


@task
def send_patient_email(*, appointment_id: int, kind: str, sequence: int, attempt: int = 1):
    appointment = Appointment.objects.select_related(
        "patient", "service", "practitioner__profile"
    ).get(pk=appointment_id)
    if appointment.sequence != sequence:
        # The appointment changed again since: that change sends its own, newer email.
        return "superseded"
    try:
        emails.patient_email(appointment, kind).send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Email %s for appointment %s failed (attempt %s)", kind, appointment_id, attempt
        )
        _again_later(
            send_patient_email,
            attempt,
            error,
            appointment_id=appointment_id,
            kind=kind,
            sequence=sequence,
        )
        return "retrying"
    return "sent"


@task
def send_practitioner_email(*, appointment_id: int, kind: str, attempt: int = 1):
    appointment = Appointment.objects.select_related(
        "patient", "service", "practitioner__profile", "practitioner__user"
    ).get(pk=appointment_id)
    message = emails.practitioner_email(appointment, kind)
    if message is None:
        return "no address"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Practitioner notice for appointment %s failed (attempt %s)", appointment_id, attempt
        )
        _again_later(
            send_practitioner_email, attempt, error, appointment_id=appointment_id, kind=kind
        )
        return "retrying"
    return "sent"


@task
def send_reminder(*, appointment_id: int, starts_at: str, attempt: int = 1):
    """Sends the reminder once, if the appointment still stands at the time it was set for.

    The claim is one conditional UPDATE, so two workers (or a task run twice after a
    restart) cannot both send it; a failed send gives the claim back.
    """
    now = timezone.now()
    expected = dt.datetime.fromisoformat(starts_at)
    claimed = Appointment.objects.filter(
        pk=appointment_id,
        status=AppointmentStatus.CONFIRMED,
        starts_at=expected,
        starts_at__gt=now,
        reminder_sent_at__isnull=True,
    ).update(reminder_sent_at=now)
    if not claimed:
        return "not due"
    appointment = Appointment.objects.select_related(
        "patient", "service", "practitioner__profile"
    ).get(pk=appointment_id)
    try:
        emails.patient_email(appointment, "reminder").send()
    except MAIL_ERRORS as error:
        Appointment.objects.filter(pk=appointment_id, reminder_sent_at=now).update(
            reminder_sent_at=None
        )
        logger.warning("Reminder for appointment %s failed (attempt %s)", appointment_id, attempt)
        _again_later(
            send_reminder, attempt, error, appointment_id=appointment_id, starts_at=starts_at
        )
        return "retrying"
    return "sent"
