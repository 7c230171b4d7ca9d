"""A caller with no email address: staff may book them, they are found again by phone, name
and date of birth, and nothing is ever sent to them (their practitioner is still told)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking import emails, services, tasks
from booking.contracts import BookingError, RuledOut
from booking.courses.selectors import Scope, course_preview
from booking.courses.services import SessionChoice, course_book, course_cancel
from booking.models import Appointment, Patient
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details, notices_queued

MONDAY = next_weekday(0)
PRACTICE_INBOX = "hello@cedarstreetacupuncture.example"  # no practitioner login: the practice


def caller(**overrides):
    values = {"first_name": "Ada", "last_name": "Byrne", "email": "", "phone": "(555) 010-4477"}
    return details(**(values | overrides))


def phone_booking(start, **kwargs):
    return book(start=start, patient=kwargs.pop("patient", None) or caller(), intake=None,
                by_staff=True, **kwargs)  # fmt: skip


@pytest.mark.django_db
def test_a_caller_without_email_is_booked_and_only_the_practitioner_is_emailed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = phone_booking(local(MONDAY, 10))
    assert appointment.patient.email == "" and not appointment.patient.has_email
    assert [m.to for m in mail.outbox] == [[PRACTICE_INBOX]]
    assert mail.outbox[0].subject.endswith("New booking")


@pytest.mark.django_db
def test_no_email_goes_to_them_when_staff_cancel_or_move(django_capture_on_commit_callbacks):
    moving = phone_booking(local(MONDAY, 10))
    cancelling = phone_booking(local(MONDAY, 14), patient=caller(first_name="Bo"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(appointment=moving, start=local(MONDAY, 11), by_staff=True)
        services.appointment_cancel(appointment=cancelling, by_staff=True)
    assert [m.subject.split(": ")[1] for m in mail.outbox] == ["Booking moved", "Booking cancelled"]
    assert all(m.to == [PRACTICE_INBOX] for m in mail.outbox)


@pytest.mark.django_db
def test_no_email_goes_to_them_when_staff_cancel_a_course(django_capture_on_commit_callbacks):
    anchor = phone_booking(local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=1, count=2, now=timezone.now(),
                          by_staff=True)  # fmt: skip
    course_book(
        appointment=anchor,
        every_weeks=1,
        planned=2,
        choices=[SessionChoice(row.number, row.start) for row in rows],
        by_staff=True,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = course_cancel(appointment=anchor, scope=Scope.COURSE, by_staff=True)
    assert len(outcome.cancelled) == 3
    # Only the practitioner's one notice for the course: the patient has no address.
    assert [m.subject.split(": ")[1] for m in mail.outbox] == ["Course sessions cancelled"]
    assert all(m.to == [PRACTICE_INBOX] for m in mail.outbox)


@pytest.mark.django_db
def test_the_reminder_task_skips_them_without_error_and_claims_nothing():
    appointment = phone_booking(local(MONDAY, 10))
    mail.outbox.clear()
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=23)):
        result = tasks.send_reminder.call(
            appointment_id=appointment.pk, starts_at=appointment.starts_at.isoformat()
        )
    appointment.refresh_from_db()
    assert result == "no address"
    assert appointment.reminder_sent_at is None and mail.outbox == []


@pytest.mark.django_db
def test_a_queued_patient_email_for_them_is_skipped_too():
    appointment = phone_booking(local(MONDAY, 10))
    result = tasks.send_patient_email.call(
        appointment_id=appointment.pk, kind="confirmed", sequence=appointment.sequence
    )
    assert result == "no address"
    with pytest.raises(ValueError):
        emails.patient_email(appointment, "confirmed")


@pytest.mark.django_db
def test_with_a_real_queue_no_reminder_or_patient_email_is_queued_for_them(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        phone_booking(local(MONDAY, 10))
        book(start=local(MONDAY, 14))  # a patient with an address, for comparison

    def queued():
        runs = DBTaskResult.objects.filter(task_path__startswith="booking.")
        return sorted(runs.values_list("task_path", flat=True))

    # Each booking queues one task; the worker running it queues what is to be sent.
    assert queued() == ["booking.notifications.send_notices"] * 2
    notices_queued()
    assert queued() == [
        *["booking.notifications.send_notices"] * 2,
        "booking.tasks.send_patient_email",
        "booking.tasks.send_practitioner_email",
        "booking.tasks.send_practitioner_email",
        "booking.tasks.send_reminder",
    ]


@pytest.mark.django_db
def test_they_are_found_again_by_phone_name_and_date_of_birth():
    first = phone_booking(local(MONDAY, 10))
    again = phone_booking(
        local(MONDAY, 14),
        patient=caller(first_name="ada", phone="555.010.4477", last_name=" Byrne "),
    )
    someone_else = phone_booking(
        local(MONDAY, 16), patient=caller(date_of_birth=dt.date(1990, 5, 5))
    )
    assert again.patient_id == first.patient_id
    assert not again.is_first_visit
    assert someone_else.patient_id != first.patient_id
    assert Patient.objects.filter(email="").count() == 2


@pytest.mark.django_db
def test_a_patient_with_an_address_on_record_is_found_by_phone_too_and_emailed(
    django_capture_on_commit_callbacks,
):
    known = book(
        start=local(MONDAY, 9),
        patient=caller(email="ada.byrne@example.com"),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        called = phone_booking(local(MONDAY, 14))
    assert called.patient_id == known.patient_id
    assert ["ada.byrne@example.com"] in [m.to for m in mail.outbox]


@pytest.mark.django_db
def test_one_callers_answers_never_rule_out_another_callers_booking():
    """The flags carried over to a phone booking are that patient's own, never those of
    whoever else has no address."""
    phone_booking(
        local(MONDAY, 9),
        patient=caller(first_name="Pat"),
        service="follow-up-treatment",
    )
    flagged = book(
        start=local(MONDAY, 11),
        patient=caller(first_name="Pat"),
        intake=answers(screen_implant="yes"),
        by_staff=True,
    )
    assert flagged.flags
    # Another caller without an address (never seen, no answers yet: no electrical
    # stimulation for them until their answers are in) carries none of Pat's flags.
    other = phone_booking(local(MONDAY, 14), service="follow-up-treatment")
    assert other.flags == []
    with pytest.raises(RuledOut):
        phone_booking(local(MONDAY, 16), patient=caller(first_name="Pat"),
                      service="electroacupuncture")  # fmt: skip


@pytest.mark.django_db
def test_online_booking_still_needs_an_email():
    with pytest.raises(BookingError, match="email address is needed"):
        book(start=local(MONDAY, 10), patient=caller())
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_an_address_is_still_unique_whatever_its_case():
    Patient.objects.create(
        email="Kim@Example.com", first_name="K", last_name="L", phone="1", date_of_birth=MONDAY
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            email="kim@example.com", first_name="K", last_name="M", phone="2", date_of_birth=MONDAY
        )
