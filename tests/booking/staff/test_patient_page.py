"""The patient page in the admin: pain across visits, for the practitioner only."""

import datetime as dt

import pytest
from django.urls import reverse

from booking.groups import FRONT_DESK
from tests.clock import local
from tests.factories.bookings import answers, book, details
from tests.factories.staff import staff_member as staff

from .shared import MONDAY


@pytest.mark.django_db
def test_the_patient_page_draws_pain_across_visits_for_the_practitioner_only(
    rosa_client, client, appointment
):
    patient = appointment.patient
    for weeks, score in ((3, 8), (2, 6)):
        earlier = book(
            start=local(MONDAY + dt.timedelta(weeks=weeks), 10),
            patient=details(email=patient.email),
            intake=answers(),
        )
        earlier.intake.pain_score = score
        earlier.intake.save()
    page = rosa_client.get(reverse("booking_patient:inspect", args=[patient.pk])).content.decode()
    assert 'class="pain-chart"' in page
    assert page.count("<circle") == 3
    assert "From 5 at the first visit to 8 at the latest, over 3 visits" in page

    desk = staff("desk2", FRONT_DESK)
    client.force_login(desk)
    hidden = client.get(reverse("booking_patient:inspect", args=[patient.pk])).content.decode()
    assert "pain-chart" not in hidden and "Nora Quill" in hidden
