"""The front desk books a caller who has no email address, and their pages say what that means."""

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Appointment
from tests.factories.practice import practitioner

from .shared import MONDAY, inspect_url

NO_EMAIL = (
    "No email: this patient gets no confirmation, reminder or manage link; tell them by phone"
)


def caller_form(**overrides):
    values = {
        "service": "",
        "practitioner": practitioner().pk,
        "date": MONDAY.isoformat(),
        "time": "11:00",
        "first_name": "Ada",
        "last_name": "Byrne",
        "email": "",
        "phone": "(555) 010-4477",
        "date_of_birth": "1950-03-04",
        "red_flags": "none",
    }
    return values | overrides


@pytest.fixture
def follow_up():
    from booking.models import Service

    return Service.objects.get(slug="follow-up-treatment").pk


@pytest.mark.django_db
def test_front_desk_books_a_caller_without_email_and_the_page_says_so(
    front_desk_client, follow_up, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = front_desk_client.post(
            reverse("booking_staff:book_for_patient"), caller_form(service=follow_up), follow=True
        )
    made = Appointment.objects.get()
    assert made.patient.email == "" and made.booked_by_staff
    assert "tell them the time by phone" in response.content.decode()
    assert [m.subject.split(": ")[1] for m in mail.outbox] == ["New booking"]  # practitioner's

    page = front_desk_client.get(inspect_url(made)).content.decode()
    assert NO_EMAIL in page
    assert "mailto:" not in page
    patient_page = front_desk_client.get(
        reverse("booking_patient:inspect", args=[made.patient_id])
    ).content.decode()
    assert "this patient gets no emails" in patient_page


@pytest.mark.django_db
def test_a_patient_with_an_address_gets_no_such_warning(front_desk_client, appointment):
    page = front_desk_client.get(inspect_url(appointment)).content.decode()
    assert NO_EMAIL not in page and "mailto:nora@example.com" in page


@pytest.mark.django_db
def test_without_email_a_phone_number_is_needed_and_nothing_typed_is_lost(
    front_desk_client, follow_up
):
    response = front_desk_client.post(
        reverse("booking_staff:book_for_patient"), caller_form(service=follow_up, phone="n/a")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "We could not read this as a phone number we can call" in page
    assert 'value="Byrne"' in page and 'value="1950-03-04"' in page
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_second_call_finds_the_same_patient(front_desk_client, follow_up):
    url = reverse("booking_staff:book_for_patient")
    front_desk_client.post(url, caller_form(service=follow_up))
    front_desk_client.post(url, caller_form(service=follow_up, time="14:00", phone="5550104477"))
    first, second = Appointment.objects.order_by("starts_at")
    assert first.patient_id == second.patient_id
    assert first.is_first_visit and not second.is_first_visit


@pytest.mark.django_db
def test_staff_cancelling_for_a_caller_without_email_are_told_to_phone(
    front_desk_client, follow_up
):
    front_desk_client.post(
        reverse("booking_staff:book_for_patient"), caller_form(service=follow_up)
    )
    made = Appointment.objects.get()
    response = front_desk_client.post(
        reverse("booking_staff:cancel", args=[made.pk]), {"reason": ""}, follow=True
    )
    assert "the patient has no email: tell them by phone" in response.content.decode()
