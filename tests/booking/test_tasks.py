"""With the real task worker and a real SMTP server on loopback: the mail server is down when
the patient books, the booking stands, and the emails go out once the server is back."""

import datetime as dt

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import Appointment
from tests.clock import local, next_weekday
from tests.factories.bookings import book, notices_queued
from tests.support import Inbox, free_port


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # The worker drops connections it thinks are stale. Here it shares the test's
    # connection, whose transaction holds the test data (PostgreSQL would lose it).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db
def test_bookings_stand_while_mail_is_down_and_emails_follow_when_it_is_back(
    settings, django_capture_on_commit_callbacks
):
    port = free_port()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(start=local(next_weekday(0), 10))
    run_worker()  # nothing listens on the port: both emails fail and are queued again

    assert Appointment.objects.filter(pk=appointment.pk).exists()
    waiting = DBTaskResult.objects.filter(
        task_path__in=["booking.tasks.send_patient_email", "booking.tasks.send_practitioner_email"],
        status="READY",
    )
    assert waiting.count() == 2
    assert all(task.run_after > timezone.now() for task in waiting)

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
            run_worker()
    finally:
        server.stop()

    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == [
        "Cedar Street Acupuncture: New booking",
        "Cedar Street Acupuncture: Your appointment is confirmed",
    ]
    confirmation = next(m for m in inbox.messages if "confirmed" in m["Subject"])
    calendar = next(p for p in confirmation.walk() if p.get_content_type() == "text/calendar")
    assert b"BEGIN:VEVENT" in calendar.get_payload(decode=True)
    assert not DBTaskResult.objects.filter(
        task_path="booking.tasks.send_patient_email", status="READY"
    ).exists()


@pytest.mark.django_db
def test_the_worker_sends_the_stored_reminder_at_its_time_and_only_once(
    settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(start=local(next_weekday(0), 10))
    run_worker()  # the confirmation and the notice; the reminder waits in the database
    mail.outbox.clear()

    run_worker()  # a restarted worker: still not time
    assert mail.outbox == []
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=23, minutes=59)):
        run_worker()
        run_worker()
    assert [m.subject for m in mail.outbox] == [
        "Cedar Street Acupuncture: Reminder: your appointment"
    ]
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


@pytest.mark.django_db
def test_a_worker_stopped_for_an_hour_loses_no_reminder_and_sends_none_twice(
    settings, django_capture_on_commit_callbacks
):
    """The drill: the worker is down for the hour in which reminders fall due, while a
    patient moves an appointment and another books. When it is back (twice over: a
    restart, then a second worker), every due email goes out exactly once and the
    reminder for the old time of the moved appointment does not go at all."""
    from django.core import mail

    from booking import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    monday = next_weekday(0)
    with django_capture_on_commit_callbacks(execute=True):
        staying = book(start=local(monday, 10))
        moving = book(start=local(monday, 11))
    run_worker()
    mail.outbox.clear()

    down_at = staying.starts_at - dt.timedelta(hours=24, minutes=10)  # before both reminders
    with (
        time_machine.travel(down_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        moved = services.appointment_reschedule(
            appointment=moving, start=local(monday + dt.timedelta(days=1), 9)
        )
        late_comer = book(start=local(monday + dt.timedelta(days=2), 11))
    # No worker ran: nothing was sent while it was down.
    assert mail.outbox == []

    back_at = down_at + dt.timedelta(hours=1, minutes=15)  # both old reminder times passed
    with time_machine.travel(back_at, tick=False):
        run_worker()
        run_worker()

    reminders = [m for m in mail.outbox if "Reminder" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [staying.patient.email]
    moved_email = [m for m in mail.outbox if m.to == [moved.patient.email]]
    assert [m.subject for m in moved_email] == [
        "Cedar Street Acupuncture: Your appointment has moved"
    ]
    booked_email = [m for m in mail.outbox if m.to == [late_comer.patient.email]]
    assert [m.subject for m in booked_email] == [
        "Cedar Street Acupuncture: Your appointment is confirmed"
    ]
    staying.refresh_from_db()
    moved.refresh_from_db()
    assert staying.reminder_sent_at is not None
    assert moved.reminder_sent_at is None  # its reminder is for the new time, a day later

    # The new time's reminder still comes, once, at its own time.
    mail.outbox.clear()
    with time_machine.travel(moved.starts_at - dt.timedelta(hours=23), tick=False):
        run_worker()
        run_worker()
    assert [m.to for m in mail.outbox if "Reminder" in m.subject] == [[moved.patient.email]]


def test_retries_wait_longer_each_time_up_to_the_settings_ceiling(settings):
    from booking.tasks import retry_delay

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 5, 6, 60)] == [
        30,
        60,
        120,
        480,
        600,
        600,
    ]
    settings.TASK_RETRY_FIRST_DELAY = dt.timedelta(seconds=1)
    settings.TASK_RETRY_MAX_DELAY = dt.timedelta(seconds=4)
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 4]


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_queued_again_and_sent_once(
    settings, django_capture_on_commit_callbacks
):
    """A worker killed mid-send leaves its task "running"; requeue_stalled_tasks puts it
    back after TASK_STALLED_AFTER, and the next worker sends it. A task that has only just
    started (a live worker's) is left alone."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        book(start=local(next_weekday(0), 10))
    notices_queued()
    emails = DBTaskResult.objects.filter(task_path="booking.tasks.send_patient_email")
    killed = emails.get()
    killed.claim("worker-that-was-killed")
    stalled_at = timezone.now() - settings.TASK_STALLED_AFTER - dt.timedelta(seconds=1)
    emails.filter(pk=killed.pk).update(started_at=stalled_at)
    DBTaskResult.objects.exclude(pk=killed.pk).filter(status="READY").update(status="SUCCESSFUL")
    live = DBTaskResult.objects.exclude(pk=killed.pk).first()
    live.claim("worker-still-running")

    run_worker()
    assert mail.outbox == []  # nobody takes a running task

    call_command("requeue_stalled_tasks", verbosity=0)
    run_worker()
    call_command("requeue_stalled_tasks", verbosity=0)
    run_worker()

    assert [m.subject for m in mail.outbox] == [
        "Cedar Street Acupuncture: Your appointment is confirmed"
    ]
    assert emails.get().status == "SUCCESSFUL"
    live.refresh_from_db()
    assert live.status == "RUNNING"
