"""Calendar files: what RFC 5545/5546 ask of a REQUEST and a CANCEL, read by two parsers."""

import datetime as dt

import icalendar
import pytest
import vobject
from django.utils import timezone

from booking import services
from booking.ics import appointment_ics
from practice.models import PracticeSettings
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details

pytestmark = pytest.mark.django_db


def calendar_file(appointment, *, practice_email: str | None = None) -> bytes:
    practice = PracticeSettings.objects.first() or PracticeSettings(name="Test practice")
    if practice_email is not None:
        practice.email = practice_email
    return appointment_ics(
        appointment, practice=practice, site_host="clinic.example", now=timezone.now()
    )


@pytest.fixture
def appointment():
    patient = details(first_name="Zelda", last_name="Quorn", email="zelda@example.org")
    return book(start=local(next_weekday(0), 10), patient=patient)


def test_a_booking_invites_the_patient_from_the_practice_in_both_parsers(appointment):
    content = calendar_file(appointment, practice_email="desk@clinic.example")

    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:desk@clinic.example"
    assert str(event["attendee"]) == "mailto:zelda@example.org"
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"
    assert event["attendee"].params["RSVP"] == "FALSE"

    second = vobject.readOne(content.decode())
    assert second.method.value == "REQUEST"
    vevent = second.vevent
    assert vevent.organizer.value == "mailto:desk@clinic.example"
    assert vevent.attendee.value == "mailto:zelda@example.org"
    assert vevent.dtstart.value == appointment.starts_at.astimezone(dt.UTC)
    assert vevent.uid.value == f"appointment-{appointment.public_id}@clinic.example"
    # The patient's own address, so their calendar knows the invitation is theirs; never
    # their name, or anything they told the practice.
    assert b"Zelda" not in content and b"Quorn" not in content


def test_without_a_practice_address_the_organiser_is_the_sending_address(appointment, settings):
    settings.DEFAULT_FROM_EMAIL = "Test practice <bookings@clinic.example>"
    event = vobject.readOne(calendar_file(appointment, practice_email="").decode()).vevent
    assert event.organizer.value == "mailto:bookings@clinic.example"
    assert event.organizer.params["CN"]


def test_a_cancellation_names_the_same_event_and_its_attendee(appointment):
    booked = vobject.readOne(calendar_file(appointment).decode()).vevent
    services.appointment_cancel(appointment=appointment, by_staff=True)
    appointment.refresh_from_db()

    cancelled = vobject.readOne(calendar_file(appointment).decode())
    assert cancelled.method.value == "CANCEL"
    assert cancelled.vevent.uid.value == booked.uid.value
    assert cancelled.vevent.status.value == "CANCELLED"
    assert cancelled.vevent.attendee.value == "mailto:zelda@example.org"
    assert int(cancelled.vevent.sequence.value) == int(booked.sequence.value) + 1
