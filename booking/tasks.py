"""Background work: emails and reminders, run by the task worker (``manage.py db_worker``).

A failed send enqueues itself again with a growing delay, so the booking stands and the
email follows; logs name appointments by id only. Two tasks repeat, each keeping exactly
one run of itself queued: the nightly ``purge_expired_intakes`` (retention), and
``sync_calendars`` every ``CALENDAR_SYNC_MINUTES`` (the practitioners' own calendars).
"""

import datetime as dt
import logging
import smtplib
import socket
from zoneinfo import ZoneInfo

from django.conf import settings
from django.tasks import default_task_backend, task
from django.utils import timezone

from practice.periodic import ensure_one_waiting

from . import emails
from .calendars import selectors as calendar_selectors
from .calendars import sync as calendar_sync
from .manage_links import manage_links_purge
from .models import Appointment, AppointmentStatus
from .patients.links import sign_in_links_purge
from .privacy import retention

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, socket.timeout, OSError)
MAX_ATTEMPTS = 60


def retry_delay(attempt: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … capped at 10 min: about 9 hours of trying in all (the
    settings ``TASK_RETRY_FIRST_DELAY`` and ``TASK_RETRY_MAX_DELAY``)."""
    delay = settings.TASK_RETRY_FIRST_DELAY * 2 ** min(attempt - 1, 30)
    return min(delay, settings.TASK_RETRY_MAX_DELAY)


def again_later(task_function, attempt: int, error: Exception, **kwargs) -> None:
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
    if not appointment.patient.has_email:
        return "no address"
    try:
        emails.patient_email(appointment, kind).send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Email %s for appointment %s failed (attempt %s)", kind, appointment_id, attempt
        )
        again_later(
            send_patient_email,
            attempt,
            error,
            appointment_id=appointment_id,
            kind=kind,
            sequence=sequence,
        )
        return "retrying"
    return "sent"


def _send_course_email(task_function, kind: str, appointment_ids, sequences, attempt) -> str:
    """The patient's one email for sessions of a course changed together (``kind`` "moved"
    or "cancelled"); a session changed again since is left out (that change sends its
    own, newer email)."""
    wanted = dict(zip(appointment_ids, sequences, strict=True))
    status = AppointmentStatus.CANCELLED if kind == "cancelled" else AppointmentStatus.CONFIRMED
    current = [
        a
        for a in Appointment.objects.select_related(
            "patient", "service", "practitioner__profile"
        ).filter(pk__in=appointment_ids, status=status)
        if a.sequence == wanted[a.pk]
    ]
    if not current:
        return "superseded"
    current.sort(key=lambda a: a.starts_at)
    if not current[0].patient.has_email:
        return "no address"
    try:
        emails.course_email(current, kind).send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Course email %s for appointments %s failed (attempt %s)",
            kind,
            appointment_ids,
            attempt,
        )
        again_later(
            task_function,
            attempt,
            error,
            appointment_ids=appointment_ids,
            sequences=sequences,
        )
        return "retrying"
    return "sent"


@task
def send_course_moved_email(
    *, appointment_ids: list[int], sequences: list[int], attempt: int = 1
) -> str:
    """The patient's one email for sessions of a course moved together."""
    return _send_course_email(send_course_moved_email, "moved", appointment_ids, sequences, attempt)


@task
def send_course_cancelled_email(
    *, appointment_ids: list[int], sequences: list[int], attempt: int = 1
) -> str:
    """The patient's one email for sessions of a course cancelled together."""
    return _send_course_email(
        send_course_cancelled_email, "cancelled", appointment_ids, sequences, attempt
    )


@task
def send_practitioner_course_email(*, appointment_ids: list[int], kind: str, attempt: int = 1):
    """The practitioner's one notice for sessions of a course changed together."""
    sessions = list(
        Appointment.objects.select_related(
            "patient", "service", "practitioner__profile", "practitioner__user"
        )
        .filter(pk__in=appointment_ids)
        .order_by("starts_at")
    )
    message = emails.practitioner_course_email(sessions, kind) if sessions else None
    if message is None:
        return "no address" if sessions else "gone"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning("Practitioner course notice %s failed (attempt %s)", kind, attempt)
        again_later(
            send_practitioner_course_email,
            attempt,
            error,
            appointment_ids=appointment_ids,
            kind=kind,
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
        again_later(
            send_practitioner_email, attempt, error, appointment_id=appointment_id, kind=kind
        )
        return "retrying"
    return "sent"


@task
def send_screening_stopped_email(*, appointment_id: int, attempt: int = 1):
    """The practice is told to call a patient whose answers through their link met a stop."""
    appointment = Appointment.objects.select_related(
        "patient", "service", "practitioner__profile", "practitioner__user"
    ).get(pk=appointment_id)
    message = emails.screening_stopped_email(appointment)
    if message is None:
        return "no address"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Screening-stopped notice for appointment %s failed (attempt %s)",
            appointment_id,
            attempt,
        )
        again_later(send_screening_stopped_email, attempt, error, appointment_id=appointment_id)
        return "retrying"
    return "sent"


@task
def send_reminder(*, appointment_id: int, starts_at: str, attempt: int = 1):
    """Sends the reminder once, if the appointment still stands at the time it was set for.

    The claim is one conditional UPDATE, so two workers (or a task run twice after a
    restart) cannot both send it; a failed send gives the claim back. A patient with no
    email gets none, and the claim stays unmade.
    """
    now = timezone.now()
    expected = dt.datetime.fromisoformat(starts_at)
    if Appointment.objects.filter(pk=appointment_id, patient__email="").exists():
        return "no address"  # a caller booked by phone without one: staff tell them
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
        again_later(
            send_reminder, attempt, error, appointment_id=appointment_id, starts_at=starts_at
        )
        return "retrying"
    return "sent"


@task
def send_burst_notice(*, kind: str, attempt: int = 1):
    """Tells the practice that online bookings were refused for coming too fast or too many
    (booking/caps.py): at most once an hour, with no address, name or time in it."""
    message = emails.burst_email(kind)
    if message is None:
        return "no address"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning("Burst notice failed (attempt %s)", attempt)
        again_later(send_burst_notice, attempt, error, kind=kind)
        return "retrying"
    return "sent"


# --- Retention: a daily purge that queues its own next run ---------------------------------

# Local time of the nightly run: 03:00 exists every day (the clocks change at 02:00) and
# is after the day's last appointment.
PURGE_AT = dt.time(3, 0)


def next_purge_at(now: dt.datetime) -> dt.datetime:
    """The first 03:00 in the practice's time zone after ``now``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = now.astimezone(zone).date()
    candidate = dt.datetime.combine(day, PURGE_AT, tzinfo=zone)
    if candidate <= now:
        candidate = dt.datetime.combine(day + dt.timedelta(days=1), PURGE_AT, tzinfo=zone)
    return candidate


@task
def purge_expired_intakes():
    """Deletes the intake answers past ``INTAKE_RETENTION_YEARS``, then queues tomorrow's
    run; the next run is queued even if this one fails, so one bad night ends nothing."""
    try:
        deleted = retention.intakes_purge_expired(timezone.now())
        sign_in_links_purge()  # "My appointments" links a day past their 15 minutes
        manage_links_purge()  # manage links of appointments past their use
    finally:
        ensure_purge_scheduled()
    logger.info("Retention: %s intake(s) past the retention period deleted", deleted)
    return deleted


def ensure_purge_scheduled(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Makes sure exactly one purge is waiting in the queue, and returns when it runs.

    Safe to call from anywhere, at once and again: the check and the insert hold a lock.
    None where the task backend cannot hold a task for later (the tests' immediate backend).
    See docs/privacy.md for the locking.
    """
    return ensure_one_waiting(purge_expired_intakes, next_purge_at(now or timezone.now()))


# --- The practitioners' own calendars: refreshed every few minutes ---------------------------


@task
def sync_calendars():
    """Queues a refresh of every practitioner's calendar source, then its own next run
    (queued even if this one fails)."""
    try:
        for source_id in calendar_selectors.calendar_source_ids_to_sync():
            sync_calendar_source.enqueue(source_id=source_id)
    finally:
        ensure_calendar_sync_scheduled()


def ensure_calendar_sync_scheduled(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Exactly one ``sync_calendars`` waiting, ``CALENDAR_SYNC_MINUTES`` from ``now`` when
    none is; as ``ensure_purge_scheduled``."""
    every = dt.timedelta(minutes=settings.CALENDAR_SYNC_MINUTES)
    return ensure_one_waiting(sync_calendars, (now or timezone.now()) + every)


@task
def sync_calendar_source(*, source_id: int):
    """Refreshes one source's busy times (``calendars.sync``), and tells the practitioner
    by email once it has failed ``CALENDAR_FAILURES_BEFORE_EMAIL`` times in a row."""
    source = calendar_selectors.calendar_source_get(pk=source_id)
    if source is None:
        return "gone"  # removed since it was queued
    result = calendar_sync.calendar_source_sync(source=source)
    if result.tell_practitioner:
        send_calendar_failing_email.enqueue(source_id=source_id)
    return "synced" if result.ok else "failed"


@task
def send_calendar_failing_email(*, source_id: int, attempt: int = 1):
    source = calendar_selectors.calendar_source_get(pk=source_id)
    message = source and emails.calendar_failing_email(source)
    if not message:
        return "no address"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning("Calendar notice for source %s failed (attempt %s)", source_id, attempt)
        again_later(send_calendar_failing_email, attempt, error, source_id=source_id)
        return "retrying"
    return "sent"
