"""Emails carry no health information; reminders go out once, and only for what still stands."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from booking import emails, services, tasks
from booking.models import Appointment, WaitlistEntry
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details, notices_queued

MONDAY = next_weekday(0)
MARKER = "ZEBRA-MARKER-7731"


@pytest.fixture
def database_queue(settings):
    """The production task queue: what is queued stays in the database, unrun."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def appointment():
    return book(
        start=local(MONDAY, 10),
        patient=details(first_name="Grace"),
        intake=answers(
            screen_blood_thinners="yes",
            medications=f"warfarin {MARKER}",
            conditions=f"diabetes {MARKER}",
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["confirmed", "moved", "cancelled", "reminder"])
def test_patient_emails_carry_no_health_information(appointment, kind):
    message = emails.patient_email(appointment, kind)
    everything = message.body + message.alternatives[0][0]
    everything += "".join(str(a[1]) for a in message.attachments) + message.subject
    assert MARKER not in everything
    for word in ["warfarin", "diabetes", "bleeding", "pain", "blood"]:
        assert word not in everything.lower()
    assert "Grace" in message.body
    assert ("/book/appointment/" in message.body) is (kind != "cancelled")
    assert "Eastern Time" in message.body and "America/New_York" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["confirmed", "moved", "cancelled"])
def test_practitioner_notices_carry_no_health_information(appointment, kind):
    message = emails.practitioner_email(appointment, kind)
    everything = message.body + message.alternatives[0][0] + message.subject
    assert MARKER not in everything and "warfarin" not in everything
    assert "Grace P." in message.body
    assert message.to == ["hello@cedarstreetacupuncture.example"]  # no practitioner login yet


@pytest.mark.django_db
def test_the_reminder_goes_out_once(appointment):
    when = appointment.starts_at.isoformat()
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=24)):
        first = tasks.send_reminder.call(appointment_id=appointment.pk, starts_at=when)
        again = tasks.send_reminder.call(appointment_id=appointment.pk, starts_at=when)
    assert (first, again) == ("sent", "not due")
    assert [m.subject for m in mail.outbox] == [
        "Cedar Street Acupuncture: Reminder: your appointment"
    ]
    assert mail.outbox[0].attachments == []


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_or_moved_appointment(appointment):
    scheduled_for = appointment.starts_at.isoformat()
    moved = services.appointment_reschedule(appointment=appointment, start=local(MONDAY, 14))
    with time_machine.travel(moved.starts_at - dt.timedelta(hours=24)):
        assert (
            tasks.send_reminder.call(appointment_id=moved.pk, starts_at=scheduled_for) == "not due"
        )
        services.appointment_cancel(appointment=moved, by_staff=True)
        new_time = moved.starts_at.isoformat()
        assert tasks.send_reminder.call(appointment_id=moved.pk, starts_at=new_time) == "not due"
    assert not [m for m in mail.outbox if "Reminder" in m.subject]


@pytest.mark.django_db
def test_an_email_for_an_older_version_of_the_appointment_is_not_sent(appointment):
    services.appointment_reschedule(appointment=appointment, start=local(MONDAY, 14))
    mail.outbox.clear()
    stale = tasks.send_patient_email.call(
        appointment_id=appointment.pk, kind="confirmed", sequence=0
    )
    assert stale == "superseded" and mail.outbox == []


@pytest.mark.django_db
def test_booking_schedules_the_reminder_where_the_queue_can_wait(
    database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(start=local(MONDAY, 10))
    notices_queued()
    reminder = DBTaskResult.objects.get(task_path="booking.tasks.send_reminder")
    assert reminder.run_after == appointment.starts_at - dt.timedelta(hours=24)
    starts_at = dt.datetime.fromisoformat(reminder.args_kwargs["kwargs"]["starts_at"])
    assert starts_at == appointment.starts_at
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_booking_queues_one_task_and_nothing_for_wagtails_reference_index(
    database_queue, django_capture_on_commit_callbacks
):
    # As the staff's admin views register their models (they do when the URLs load): a
    # patient's records are not content, and stay out of the index all the same.
    for model in (Appointment, WaitlistEntry):
        ReferenceIndex.register_model(model)
        assert not ReferenceIndex.is_indexed(model)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(start=local(MONDAY, 10))
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "booking.notifications.send_notices"
    assert queued.args_kwargs["kwargs"] == {
        "appointment_id": appointment.pk,
        "kind": "confirmed",
        "sequence": 0,
        "remind": True,
    }


@pytest.mark.django_db
def test_notices_of_a_booking_moved_before_they_ran_leave_the_reminder_to_the_move(
    database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(start=local(MONDAY, 10))
        moved = services.appointment_reschedule(appointment=appointment, start=local(MONDAY, 14))
    notices_queued()
    [reminder] = DBTaskResult.objects.filter(task_path="booking.tasks.send_reminder")
    assert dt.datetime.fromisoformat(reminder.args_kwargs["kwargs"]["starts_at"]) == (
        moved.starts_at
    )
    patient_emails = DBTaskResult.objects.filter(task_path="booking.tasks.send_patient_email")
    # The confirmation's email is still queued, for its own task to find superseded.
    assert sorted(
        (run.args_kwargs["kwargs"]["kind"], run.args_kwargs["kwargs"]["sequence"])
        for run in patient_emails
    ) == [("confirmed", 0), ("moved", 1)]


@pytest.mark.django_db
def test_notices_for_an_appointment_gone_since_send_nothing():
    from booking.notifications import send_notices

    result = send_notices.call(appointment_id=987654, kind="confirmed", sequence=0, remind=True)
    assert result == "gone" and mail.outbox == []
