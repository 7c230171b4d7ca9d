"""The staff's actions on an appointment: cancel, outcome, note, phone booking, reschedule."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from booking.models import Appointment, AppointmentStatus
from tests.clock import local
from tests.factories.bookings import book

from .shared import MONDAY, inspect_url


@pytest.mark.django_db
def test_staff_cancel_with_a_reason_and_the_patient_is_emailed(
    front_desk_client, appointment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        front_desk_client.post(
            reverse("booking_staff:cancel", args=[appointment.pk]), {"reason": "Sick"}
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancellation_reason == "Sick"
    assert any("cancelled" in m.subject for m in mail.outbox if m.to == ["nora@example.com"])


@pytest.mark.django_db
def test_staff_cancel_asks_first_saying_whether_the_patient_is_told(front_desk_client, appointment):
    url = reverse("booking_staff:cancel", args=[appointment.pk])
    assert f'href="{url}"' in front_desk_client.get(inspect_url(appointment)).content.decode()
    asked = front_desk_client.get(url).content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert "Cancel this appointment?" in asked
    assert "The patient gets an email saying the appointment is cancelled." in asked
    appointment.patient.email = ""
    appointment.patient.save()
    asked = front_desk_client.get(url).content.decode()
    assert "The patient has no email and is not told: call them on (555)" in asked


@pytest.mark.django_db
def test_outcome_and_private_notes(rosa_client, appointment):
    with time_machine.travel(appointment.starts_at, tick=False):
        rosa_client.post(
            reverse("booking_staff:outcome", args=[appointment.pk]), {"status": "no_show"}
        )
    rosa_client.post(
        reverse("booking_staff:add_note", args=[appointment.pk]), {"text": "Called twice."}
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert [n.text for n in appointment.notes.all()] == ["Called twice."]
    assert b"Called twice." in rosa_client.get(inspect_url(appointment)).content


@pytest.mark.django_db
def test_staff_book_by_phone_inside_the_notice_but_never_over_another_booking(
    front_desk_client, appointment
):
    url = reverse("booking_staff:book_for_patient")
    form = {
        "service": appointment.service_id,
        "practitioner": appointment.practitioner_id,
        "date": MONDAY.isoformat(),
        "time": "10:30",
        "first_name": "Phone",
        "last_name": "Caller",
        "email": "caller@example.com",
        "phone": "(555) 010-0199",
        "date_of_birth": "1970-01-01",
        "red_flags": "none",
    }
    refused = front_desk_client.post(url, form)
    assert refused.status_code == 200 and b"not free" in refused.content
    assert Appointment.objects.count() == 1

    booked = front_desk_client.post(url, {**form, "time": "11:00"})
    made = Appointment.objects.get(patient__email="caller@example.com")
    assert booked.status_code == 302 and made.booked_by_staff
    assert made.starts_at == local(MONDAY, 11)
    assert not hasattr(made, "intake") or made.intake is None


@pytest.mark.django_db
def test_staff_reschedule_refuses_an_overlap(front_desk_client, appointment):
    book(start=local(MONDAY, 14))
    url = reverse("booking_staff:reschedule", args=[appointment.pk])
    refused = front_desk_client.post(url, {"date": MONDAY.isoformat(), "time": "14:15"})
    moved = front_desk_client.post(url, {"date": MONDAY.isoformat(), "time": "15:30"})
    appointment.refresh_from_db()
    assert b"not free" in refused.content
    assert moved.status_code == 302 and appointment.starts_at == local(MONDAY, 15, 30)
