"""Staff book and cancel a course from an appointment's admin page; the course shows on the
appointment's and the patient's pages."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import Appointment, AppointmentStatus, Course
from tests.clock import local
from tests.factories.bookings import book

from .shared import MARKER, MONDAY, inspect_url

WEEK = dt.timedelta(weeks=1)
User = get_user_model()


def course_url(appointment):
    return reverse("booking_staff:course_book", args=[appointment.pk])


def page_of(response):
    return BeautifulSoup(response.content, "html.parser")


def confirm_data(page) -> dict:
    form = page.find("form", class_="course-preview")
    data = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    data.update(
        {
            i["name"]: i["value"]
            for i in form.find_all("input", type="radio")
            if i.has_attr("checked")
        }
    )
    return data


def book_course(client, appointment, count=3):
    query = f"?count={count}&every=1"
    data = confirm_data(page_of(client.get(course_url(appointment) + query)))
    return client.post(course_url(appointment) + query, data)


@pytest.mark.django_db
def test_front_desk_book_a_course_from_the_appointment_page_inside_the_notice(
    front_desk_client, appointment
):
    page = page_of(front_desk_client.get(inspect_url(appointment)))
    assert page.find("a", href=course_url(appointment)).get_text() == "Book a course of sessions"

    # Three hours before the first date: too soon online, not for staff.
    with time_machine.travel(local(MONDAY + WEEK, 7), tick=False):
        front_desk_client.force_login(User.objects.get(username="desk"))  # a fresh session
        preview = page_of(front_desk_client.get(course_url(appointment) + "?count=3&every=1"))
        assert "3 of 3 dates are free." in preview.get_text(" ")
        response = front_desk_client.post(
            course_url(appointment) + "?count=3&every=1", confirm_data(preview)
        )
    assert response.status_code == 302
    course = Course.objects.get()
    assert course.created_by.username == "desk"
    assert (course.sessions_planned, course.sessions_booked) == (3, 3)
    assert all(a.booked_by_staff for a in course.appointments.exclude(pk=appointment.pk))
    shown = page_of(front_desk_client.get(response["Location"])).get_text(" ")
    assert "3 of 3 sessions booked." in shown


@pytest.mark.django_db
def test_the_course_shows_on_the_appointment_and_the_patient_page(
    rosa_client, appointment, django_assert_max_num_queries
):
    book_course(rosa_client, appointment, count=4)
    session = Appointment.objects.filter(course__isnull=False).order_by("starts_at")[2]

    rosa_client.get(inspect_url(session))
    with django_assert_max_num_queries(40):
        response = rosa_client.get(inspect_url(session))
    text = page_of(response).get_text(" ")
    assert "4 of 4 booked, every week" in text
    assert "answered once for the course" in text
    assert len(page_of(response).select("#course-heading ~ ol li")) == 5
    assert MARKER not in text  # the answers show on the appointment they were given for

    patient = page_of(
        rosa_client.get(reverse("booking_patient:inspect", args=[appointment.patient.pk]))
    ).get_text(" ")
    assert "Follow-up treatment with Rosa Lind: 4 of 4 booked, every week" in patient


@pytest.mark.django_db
def test_the_appointment_page_costs_the_same_whatever_the_length_of_the_course(
    rosa_client, appointment
):
    book_course(rosa_client, appointment, count=2)
    counts = []
    for count in (2, 8):
        Appointment.objects.exclude(pk=appointment.pk).delete()
        Course.objects.all().delete()
        book_course(rosa_client, appointment, count=count)
        rosa_client.get(inspect_url(appointment))
        with CaptureQueriesContext(connection) as queries:
            rosa_client.get(inspect_url(appointment))
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_staff_cancel_the_whole_course_from_one_session(front_desk_client, appointment):
    book_course(front_desk_client, appointment, count=3)
    second = Appointment.objects.order_by("starts_at")[1]
    response = front_desk_client.post(
        reverse("booking_staff:course_cancel", args=[second.pk]),
        {"scope": "course", "reason": "Moving away"},
    )
    assert response.status_code == 302
    assert set(Appointment.objects.values_list("status", flat=True)) == {
        AppointmentStatus.CANCELLED
    }
    assert set(Appointment.objects.values_list("cancellation_reason", flat=True)) == {"Moving away"}


@pytest.mark.django_db
def test_a_nonsense_scope_changes_nothing(front_desk_client, appointment):
    book_course(front_desk_client, appointment, count=2)
    front_desk_client.post(
        reverse("booking_staff:course_cancel", args=[appointment.pk]), {"scope": "all!"}
    )
    assert set(Appointment.objects.values_list("status", flat=True)) == {
        AppointmentStatus.CONFIRMED
    }


@pytest.mark.django_db
def test_staff_move_this_and_the_following_sessions_from_the_appointment(
    front_desk_client, appointment
):
    book_course(front_desk_client, appointment, count=2)
    sessions = list(Appointment.objects.filter(course__isnull=False).order_by("starts_at"))
    url = reverse("booking_staff:reschedule", args=[sessions[1].pk])
    page = page_of(front_desk_client.get(url))
    assert [i["value"] for i in page.find_all("input", attrs={"name": "scope"})] == [
        "this",
        "following",
        "course",
    ]
    tuesday = MONDAY + WEEK + dt.timedelta(days=1)
    other = Appointment.objects.exclude(pk__in=[s.pk for s in sessions])
    assert not other.exists()

    moved = front_desk_client.post(
        url, {"date": tuesday.isoformat(), "time": "15:00", "scope": "following"}
    )

    assert moved.status_code == 302
    now = list(Appointment.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert now == [sessions[0].starts_at, local(tuesday, 15), local(tuesday + WEEK, 15)]


@pytest.mark.django_db
def test_staff_moving_a_course_onto_a_taken_time_moves_nothing_and_says_which(
    front_desk_client, appointment
):
    book_course(front_desk_client, appointment, count=2)
    sessions = list(Appointment.objects.filter(course__isnull=False).order_by("starts_at"))
    tuesday = MONDAY + dt.timedelta(days=1)
    book(start=local(tuesday + 2 * WEEK, 15))
    url = reverse("booking_staff:reschedule", args=[sessions[0].pk])

    refused = front_desk_client.post(
        url, {"date": tuesday.isoformat(), "time": "15:00", "scope": "course"}
    )

    assert refused.status_code == 200
    assert b"Nothing moved" in refused.content and b"taken" in refused.content
    kept = Appointment.objects.filter(pk__in=[s.pk for s in sessions]).order_by("starts_at")
    assert [a.starts_at for a in kept] == [s.starts_at for s in sessions]
