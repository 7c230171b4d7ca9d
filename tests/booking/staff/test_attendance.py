"""No-shows and late cancellations: one click to record, and seen when the patient calls."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from booking import services
from booking.models import AppointmentStatus
from booking.staff.patient_page import attendance_of
from tests.clock import local
from tests.factories.bookings import book, details

from .shared import MONDAY, TUESDAY, inspect_url

WINDOW = dt.timedelta(hours=24)
START = dt.datetime(2027, 3, 1, 15, tzinfo=dt.UTC)


def visit(status, cancelled_hours_before=None):
    cancelled = (
        START - dt.timedelta(hours=cancelled_hours_before) if cancelled_hours_before else None
    )
    return SimpleNamespace(status=status, starts_at=START, cancelled_at=cancelled)


def test_attendance_counts_no_shows_and_cancellations_inside_the_window():
    counted = attendance_of(
        [
            visit(AppointmentStatus.COMPLETED),
            visit(AppointmentStatus.COMPLETED),
            visit(AppointmentStatus.NO_SHOW),
            visit(AppointmentStatus.CANCELLED, cancelled_hours_before=3),  # late
            visit(AppointmentStatus.CANCELLED, cancelled_hours_before=72),  # in good time
            visit(AppointmentStatus.CONFIRMED),
        ],
        window=WINDOW,
    )
    assert (counted.completed, counted.no_shows, counted.late_cancellations) == (2, 1, 1)
    assert counted.text == "2 visits completed, 1 no-show, 1 late cancellation"


@pytest.mark.django_db
def test_front_desk_marks_a_no_show_in_one_click_and_sees_it_on_the_next_booking(
    front_desk_client,
):
    patient = details(first_name="Nell", email="nell@example.com")
    first = book(start=local(MONDAY, 10), patient=patient)
    with time_machine.travel(local(MONDAY, 10, 20), tick=False):
        page = front_desk_client.get(inspect_url(first)).content.decode()
        assert 'name="status" value="no_show"' in page  # a button of its own
        response = front_desk_client.post(
            reverse("booking_staff:outcome", args=[first.pk]), {"status": "no_show"}
        )
    first.refresh_from_db()
    assert response.status_code == 302 and first.status == AppointmentStatus.NO_SHOW

    later = book(start=local(TUESDAY, 10), patient=patient)
    services.appointment_cancel(
        appointment=later, by_staff=True, now=later.starts_at - dt.timedelta(hours=2)
    )
    again = book(start=local(TUESDAY, 14), patient=patient)
    text = front_desk_client.get(inspect_url(again)).content.decode()
    assert "0 visits completed, 1 no-show, 1 late cancellation" in text
    patient_page = front_desk_client.get(
        reverse("booking_patient:inspect", args=[again.patient_id])
    ).content.decode()
    assert "1 no-show, 1 late cancellation" in patient_page


@pytest.mark.django_db
def test_no_outcome_is_recorded_before_the_visit_starts(front_desk_client):
    visit = book(start=local(MONDAY, 10))
    url = reverse("booking_staff:outcome", args=[visit.pk])
    with time_machine.travel(local(MONDAY, 9, 59), tick=False):
        page = front_desk_client.get(inspect_url(visit)).content.decode()
        refused = front_desk_client.post(url, {"status": "no_show"}, follow=True)
    visit.refresh_from_db()
    assert 'value="no_show"' not in page and "From 10:00" in page
    assert visit.status == AppointmentStatus.CONFIRMED
    assert "once the visit has started" in refused.content.decode()
    with time_machine.travel(local(MONDAY, 10), tick=False):
        front_desk_client.post(url, {"status": "completed"})
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
