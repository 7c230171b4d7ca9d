"""Random existing bookings and time off, then a random course: the preview and the booking
agree, and nothing overlaps (on SQLite and PostgreSQL alike).

For each example: bookings and a day of time off at random over the coming months, an
appointment to start the course from, a course of random length and interval, a preview,
then a confirm that keeps every free row, and on each other row picks a nearby time or
skips at random. Then:

* no two appointments of one practitioner that hold time overlap (with the buffer);
* the sessions booked are exactly the free rows and the nearby times picked, nothing else;
* each free row is clear of every booking and time off, worked out here from the tables,
  and each "taken" row meets a booking (the preview's states are not taken on trust);
* every free row is at the local time of day of the appointment it follows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from itertools import pairwise

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from booking import services
from booking.courses.plan import SessionState
from booking.courses.selectors import course_preview
from booking.courses.services import SessionChoice, course_book
from booking.models import Appointment, BookingPolicy, Course, TimeOff
from tests.clock import TZ, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner

FIRST_MONDAY = next_weekday(0)
GRID = [dt.time(hour, minute) for hour in range(9, 18) for minute in (0, 15, 30, 45)]


def local(day: dt.date, wall: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, wall, tzinfo=TZ)


existing = st.lists(
    st.tuples(st.integers(0, 7 * 30), st.sampled_from(GRID)), min_size=0, max_size=30
)
anchor = st.tuples(st.integers(0, 4), st.sampled_from(GRID))  # Mon-Fri of the first week


def assert_no_overlaps() -> None:
    rows = list(
        Appointment.objects.holding_time()
        .order_by("practitioner_id", "starts_at")
        .values_list("pk", "practitioner_id", "starts_at", "blocked_until")
    )
    for (a, who_a, _, until_a), (b, who_b, start_b, _) in pairwise(rows):
        if who_a == who_b:
            assert until_a <= start_b, f"appointments {a} and {b} overlap"


@pytest.mark.django_db
@settings(max_examples=30)
@given(
    existing=existing,
    anchor=anchor,
    every=st.sampled_from([1, 2, 3, 4]),
    count=st.integers(1, 10),
    horizon=st.sampled_from([30, 60, 400]),
    away_day=st.one_of(st.none(), st.integers(7, 7 * 30)),
    picks=st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=10, max_size=10),
)
def test_a_random_course_books_exactly_what_its_preview_offered(
    existing, anchor, every, count, horizon, away_day, picks
):
    Appointment.objects.all().delete()
    Course.objects.all().delete()
    TimeOff.objects.all().delete()
    policy = BookingPolicy.load()
    policy.booking_horizon_days = horizon
    policy.save()
    rosa = practitioner()
    for offset, wall in existing:
        # Taken, outside the hours or past the horizon: refused, which is fine at random.
        with contextlib.suppress(services.BookingError):
            book(start=local(FIRST_MONDAY + dt.timedelta(days=offset), wall))
    if away_day is not None:
        day = FIRST_MONDAY + dt.timedelta(days=away_day)
        TimeOff.objects.create(
            practitioner=rosa, starts_at=local(day, dt.time(0)), ends_at=local(day, dt.time(23))
        )
    day, wall = anchor
    try:
        first = book(start=local(FIRST_MONDAY + dt.timedelta(days=day), wall))
    except services.BookingError:
        return  # no appointment to start from in this example
    before = {
        (a.starts_at, a.blocked_until)
        for a in Appointment.objects.holding_time().exclude(pk=first.pk)
    }
    away = list(TimeOff.objects.values_list("starts_at", "ends_at"))

    rows = course_preview(appointment=first, every_weeks=every, count=count, now=timezone.now())

    expected = set()
    choices = []
    for row, pick in zip(rows, picks, strict=False):
        if row.is_free:
            choices.append(SessionChoice(row.number, row.start))
            expected.add(row.start)
            assert row.start.astimezone(TZ).time() == first.starts_at.astimezone(TZ).time()
            end = row.start + dt.timedelta(minutes=50)
            assert not any(s < end + policy.buffer and row.start < u for s, u in before)
            assert not any(s < end and row.start < e for s, e in away)
        elif pick is not None and pick < len(row.alternatives):
            start = row.alternatives[pick].start
            choices.append(SessionChoice(row.number, start))
            expected.add(start)
        else:
            choices.append(SessionChoice(row.number, None))
        if row.state is SessionState.TAKEN:
            end = row.start + dt.timedelta(minutes=50)
            assert any(s < end + policy.buffer and row.start < u for s, u in before), row

    outcome = course_book(appointment=first, every_weeks=every, planned=count, choices=choices)

    assert outcome.taken == []
    assert {a.starts_at for a in outcome.booked} == expected
    assert (
        set(
            Appointment.objects.filter(course=outcome.course)
            .exclude(pk=first.pk)
            .values_list("starts_at", flat=True)
        )
        == expected
    )
    assert (outcome.course.sessions_planned, outcome.course.sessions_booked) == (
        count,
        len(expected),
    )
    assert_no_overlaps()
