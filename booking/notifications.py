"""What happens after a booking changes: emails now, a reminder later. Called on commit.

A booking, a move or a cancellation queues one task, ``send_notices``, while the patient
waits for the page; the worker running it queues the patient's email, the practitioner's
and the reminder, each tried again on its own if it fails. (Three rows written by the
request, each its own commit, made the confirm step the slowest of the booking under load.)

A patient with no email (a caller booked by phone) gets neither; their practitioner is
told all the same, and the front desk tells the patient by phone."""

from django.tasks import default_task_backend, task
from django.utils import timezone

from . import tasks
from .models import Appointment
from .selectors import booking_policy_get


def _email_both(
    appointment: Appointment, kind: str, sequence: int, *, practitioner: bool = True
) -> None:
    if appointment.patient.has_email:
        tasks.send_patient_email.enqueue(
            appointment_id=appointment.pk, kind=kind, sequence=sequence
        )
    if practitioner:
        tasks.send_practitioner_email.enqueue(appointment_id=appointment.pk, kind=kind)


@task
def send_notices(
    *, appointment_id: int, kind: str, sequence: int, remind: bool, practitioner: bool = True
) -> str:
    """Queues what a change of ``kind`` sends, as it stood at ``sequence``. A patient's
    email for a state changed since is dropped by its own task; the reminder is left to
    the newer change, which sets its own. ``practitioner`` False: a session of a course,
    told to the practitioner in one notice for the whole course."""
    appointment = Appointment.objects.select_related("patient").filter(pk=appointment_id).first()
    if appointment is None:
        return "gone"
    _email_both(appointment, kind, sequence, practitioner=practitioner)
    if remind and appointment.sequence == sequence:
        schedule_reminder(appointment)
    return "queued"


def _notify(appointment: Appointment, kind: str, *, remind: bool) -> None:
    send_notices.enqueue(
        appointment_id=appointment.pk, kind=kind, sequence=appointment.sequence, remind=remind
    )


def schedule_reminder(appointment: Appointment) -> None:
    """Queues the reminder for its time. None when that time has passed already (a booking
    made at short notice), for a patient with no email, or where the task backend cannot
    wait (the test backend)."""
    if not appointment.patient.has_email:
        return
    send_at = appointment.starts_at - booking_policy_get().reminder_lead
    if send_at <= timezone.now() or not default_task_backend.supports_defer:
        return
    tasks.send_reminder.using(run_after=send_at).enqueue(
        appointment_id=appointment.pk, starts_at=appointment.starts_at.isoformat()
    )


def appointment_booked(appointment: Appointment) -> None:
    _notify(appointment, "confirmed", remind=True)


def appointment_moved(appointment: Appointment) -> None:
    _notify(appointment, "moved", remind=True)


def _course_sessions(appointments: list[Appointment], kind: str, patient_task) -> None:
    """Sessions of a course changed together: the patient's one email listing them (from
    ``patient_task``), the practitioner's one notice listing them, and each moved
    session's reminder set again. A single session is told as any appointment is."""
    if len(appointments) == 1:
        _notify(appointments[0], kind, remind=kind == "moved")
        return
    if appointments[0].patient.has_email:
        patient_task.enqueue(
            appointment_ids=[a.pk for a in appointments],
            sequences=[a.sequence for a in appointments],
        )
    tasks.send_practitioner_course_email.enqueue(
        appointment_ids=[a.pk for a in appointments], kind=kind
    )
    if kind == "moved":
        for appointment in appointments:
            schedule_reminder(appointment)


def course_sessions_booked(appointments: list[Appointment]) -> None:
    """Sessions of a course booked together: the patient's confirmation of each (each with
    its calendar file and reminder), and the practitioner's one notice listing them."""
    if len(appointments) == 1:
        appointment_booked(appointments[0])
        return
    for appointment in appointments:
        send_notices.enqueue(
            appointment_id=appointment.pk,
            kind="confirmed",
            sequence=appointment.sequence,
            remind=True,
            practitioner=False,
        )
    tasks.send_practitioner_course_email.enqueue(
        appointment_ids=[a.pk for a in appointments], kind="confirmed"
    )


def course_sessions_moved(appointments: list[Appointment]) -> None:
    """Sessions of a course moved together: one email to the patient, with each session's
    calendar file; each reminder set again."""
    _course_sessions(appointments, "moved", tasks.send_course_moved_email)


def appointment_cancelled(appointment: Appointment) -> None:
    _notify(appointment, "cancelled", remind=False)


def course_sessions_cancelled(appointments: list[Appointment]) -> None:
    """Sessions of a course cancelled together: one email to the patient, with each
    session's calendar file to take it out of their calendar."""
    _course_sessions(appointments, "cancelled", tasks.send_course_cancelled_email)


def practitioners_told_of_erasure(appointment_ids: list[int]) -> None:
    """Erasure cancelled these appointments: their practitioners are told. The patient is
    not: no address is left to write to."""
    for pk in appointment_ids:
        tasks.send_practitioner_email.enqueue(appointment_id=pk, kind="cancelled")
