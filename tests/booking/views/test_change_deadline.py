"""Times patients can act on: the review says until when the booking can be changed online,
warns before booking inside that window, and no email names a deadline already past."""

import datetime as dt

import pytest
import time_machine

from booking import emails
from tests.booking.walk import walk_to_review
from tests.clock import local, next_weekday
from tests.factories.bookings import book

WINDOW = dt.timedelta(hours=24)  # the booking policy's default cancellation window


def _start_of(slot: str) -> dt.datetime:
    return dt.datetime.fromisoformat(slot.split("|")[0])


@pytest.mark.django_db
def test_the_review_says_until_when_the_booking_can_be_changed_online(client, soup):
    _, slot = walk_to_review(client)
    deadline = (_start_of(slot) - WINDOW).astimezone(local(next_weekday(0), 0).tzinfo)
    text = " ".join(soup(client.get("/book/review/")).get_text(" ").split())
    expected = f"{deadline:%A, %B} {deadline.day} at {deadline:%-I:%M %p}"
    assert f"You can change or cancel online until {expected}" in text
    assert "(Eastern Time)" in text


@pytest.mark.django_db
def test_booking_inside_the_change_window_is_said_before_confirming(client, soup):
    _, slot = walk_to_review(client)
    with time_machine.travel(_start_of(slot) - dt.timedelta(hours=20), tick=False):
        page = soup(client.get("/book/review/"))
    notice = page.select_one(".notice").get_text(" ")
    assert "cannot be changed or cancelled online" in notice
    assert "change or cancel online until" not in page.get_text(" ")


@pytest.mark.django_db
def test_no_email_names_a_deadline_in_the_past():
    start = local(next_weekday(2), 10)
    appointment = book(start=start)
    early = emails.patient_email(appointment, "confirmed")
    assert "You can change it online until" in early.body
    with time_machine.travel(start - dt.timedelta(hours=18), tick=False):
        late = emails.patient_email(appointment, "reminder")
    assert "until" not in late.body and "Online changes have closed" in late.body
    assert "until" not in late.alternatives[0][0]
