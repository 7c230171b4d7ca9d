"""The diary cannot be filled by strangers: every appointment of a course request counts
against the per-address limit, one email address or phone number holds only so many online
bookings ahead (staff are not capped), and the practice hears of a burst, without names."""

import pytest
from django.core import mail

from booking.contracts import BookingError
from booking.models import Appointment
from tests.booking.courses.test_views import form_of, url
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details

MONDAY = next_weekday(0)


@pytest.fixture
def practice_email(site):
    site.practice.email = "desk@example.com"
    site.practice.save()
    return site.practice.email


@pytest.mark.django_db
def test_one_email_holds_only_so_many_online_bookings_ahead(settings):
    settings.ONLINE_BOOKINGS_AHEAD = 2
    ada = details(email="ada@example.com", phone="(555) 010-0101")
    book(start=local(MONDAY, 9), patient=ada)
    book(start=local(MONDAY, 10), patient=ada)
    with pytest.raises(BookingError, match="up to 2 upcoming"):
        book(start=local(MONDAY, 11), patient=ada)
    # The same phone number under another address counts too.
    with pytest.raises(BookingError):
        book(
            start=local(MONDAY, 11),
            patient=details(email="other@example.com", phone=ada.phone),
        )
    # Staff may book more, and their bookings are not counted.
    book(start=local(MONDAY, 11), patient=ada, by_staff=True)
    assert Appointment.objects.filter(patient__email="ada@example.com").count() == 3


@pytest.mark.django_db
def test_past_and_cancelled_visits_do_not_count(settings):
    from booking import services

    settings.ONLINE_BOOKINGS_AHEAD = 1
    ada = details(email="ada@example.com")
    first = book(start=local(MONDAY, 9), patient=ada)
    services.appointment_cancel(appointment=first)
    book(start=local(MONDAY, 10), patient=ada)


@pytest.mark.django_db
def test_a_course_request_counts_each_session_against_the_address_limit(client, soup, settings):
    settings.BOOKING_SUBMISSIONS_PER_HOUR = 4
    anchor = book(start=local(MONDAY, 10))
    page = soup(client.get(url(anchor), {"count": 5, "every": 1}))
    response = client.post(url(anchor) + "?count=5&every=1", form_of(page))
    assert response.status_code == 429
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_course_request_past_the_cap_books_nothing(client, soup, settings):
    settings.ONLINE_BOOKINGS_AHEAD = 3
    anchor = book(start=local(MONDAY, 10))
    page = soup(client.get(url(anchor), {"count": 3, "every": 1}))
    response = client.post(url(anchor) + "?count=3&every=1", form_of(page))
    assert response.status_code == 400
    assert "up to 3 upcoming" in soup(response).get_text()
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_the_practice_hears_of_a_burst_once_an_hour_without_names(settings, practice_email):
    settings.ONLINE_BOOKINGS_AHEAD = 1
    ada = details(email="ada@example.com", first_name="Ada")
    book(start=local(MONDAY, 9), patient=ada)
    mail.outbox.clear()
    for hour in (10, 11):
        with pytest.raises(BookingError):
            book(start=local(MONDAY, hour), patient=ada)
    [told] = [m for m in mail.outbox if m.to == [practice_email]]
    assert "refused" in told.subject
    assert "ada@example.com" not in told.body and "Ada" not in told.body
    assert local(MONDAY, 10).strftime("%B") not in told.body  # nor when
