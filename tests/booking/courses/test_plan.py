"""The dates of a course and their states (booking/courses/plan.py): pure, no database."""

import datetime as dt
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from booking.courses.plan import (
    SessionState,
    course_walls,
    nearby_free,
    plan_course,
    with_sessions,
)
from booking.slots import Interval, Policy, Schedule

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
FIFTY = dt.timedelta(minutes=50)

# Monday to Wednesday, 09:00-17:00 local, and a Sunday night shift for the skipped hour.
HOURS = {day: ((dt.time(9), dt.time(17)),) for day in range(3)} | {
    6: ((dt.time(0, 0), dt.time(6)),)
}
POLICY = Policy(max_days_ahead=400)


def at(tz, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz).astimezone(UTC)


def plan(*, after, tz, every=1, count=4, appointments=(), time_off=(), policy=POLICY, now=None):
    return plan_course(
        schedule=Schedule(1, HOURS, tuple(appointments), tuple(time_off)),
        after=after,
        every_weeks=every,
        count=count,
        duration=FIFTY,
        policy=policy,
        now=now or at(tz, 2027, 1, 4, 8),
        tz=tz,
    )


@pytest.mark.parametrize(
    ("tz", "first"),
    [
        # Weekly through the spring and autumn changes of each zone.
        (NEW_YORK, dt.date(2027, 3, 1)),  # clocks forward on 14 March
        (NEW_YORK, dt.date(2027, 10, 25)),  # clocks back on 7 November
        (LONDON, dt.date(2027, 3, 15)),  # clocks forward on 28 March
        (LONDON, dt.date(2027, 10, 18)),  # clocks back on 31 October
    ],
)
def test_a_weekly_course_across_a_clock_change_stays_at_ten_local(tz, first):
    after = at(tz, first.year, first.month, first.day, 10)
    rows = plan(after=after, tz=tz, count=4)

    assert [row.state for row in rows] == [SessionState.FREE] * 4
    assert [row.start.astimezone(tz).time() for row in rows] == [dt.time(10)] * 4
    assert [row.start.astimezone(tz).date() for row in rows] == [
        first + dt.timedelta(weeks=k) for k in range(1, 5)
    ]
    # Which is not seven times 24 hours: one gap is an hour shorter or longer.
    gaps = {b.start - a.start for a, b in pairwise(rows)}
    gaps.add(rows[0].start - after)
    assert dt.timedelta(days=7) in gaps
    assert gaps & {dt.timedelta(days=7) - HOUR, dt.timedelta(days=7) + HOUR}


def test_every_two_to_four_weeks_keeps_the_weekday_and_time():
    after = at(NEW_YORK, 2027, 2, 1, 14, 30)
    for every in (2, 3, 4):
        walls = course_walls(after=after, tz=NEW_YORK, every_weeks=every, count=3)
        assert walls == [
            dt.datetime(2027, 2, 1, 14, 30) + dt.timedelta(weeks=every * k) for k in (1, 2, 3)
        ]


@pytest.mark.parametrize(("every", "count"), [(0, 3), (5, 3), (1, 0)])
def test_a_course_of_nothing_or_an_odd_interval_is_refused(every, count):
    with pytest.raises(ValueError):
        course_walls(
            after=at(NEW_YORK, 2027, 2, 1, 10), tz=NEW_YORK, every_weeks=every, count=count
        )


def test_a_taken_date_offers_the_next_day_and_the_closest_times_that_day():
    after = at(NEW_YORK, 2027, 2, 1, 10)  # a Monday
    booked = Interval(at(NEW_YORK, 2027, 2, 15, 9, 30), at(NEW_YORK, 2027, 2, 15, 11))
    rows = plan(after=after, tz=NEW_YORK, count=3, appointments=[booked])

    assert [row.state for row in rows] == [SessionState.FREE, SessionState.TAKEN, SessionState.FREE]
    alternatives = rows[1].alternatives
    assert len(alternatives) == 3
    assert at(NEW_YORK, 2027, 2, 16, 10) in [slot.start for slot in alternatives]  # next day
    # The others on the same day, clear of the booking and its buffer either side.
    same_day = [
        s for s in alternatives if s.start.astimezone(NEW_YORK).date() == dt.date(2027, 2, 15)
    ]
    assert [s.start.astimezone(NEW_YORK).time() for s in same_day] == [dt.time(11), dt.time(11, 15)]
    assert alternatives == tuple(sorted(alternatives))


def test_a_time_outside_the_hours_is_said_so_with_times_inside_them():
    after = at(NEW_YORK, 2027, 2, 1, 16, 30)  # the session would run past 17:00
    rows = plan(after=after, tz=NEW_YORK, count=2)

    assert [row.state for row in rows] == [SessionState.OUTSIDE_HOURS] * 2
    # Tuesday at 16:30 runs late too; the closest that end by 17:00 that Monday are offered.
    assert [s.start.astimezone(NEW_YORK).time() for s in rows[0].alternatives] == [
        dt.time(15, 30),
        dt.time(15, 45),
        dt.time(16, 0),
    ]


def test_time_off_is_told_apart_from_a_booking():
    after = at(LONDON, 2027, 5, 3, 10)
    away = Interval(at(LONDON, 2027, 5, 17, 0), at(LONDON, 2027, 5, 18, 0))
    rows = plan(after=after, tz=LONDON, count=3, time_off=[away], now=at(LONDON, 2027, 5, 1, 8))

    assert rows[1].state is SessionState.AWAY
    # The whole Monday is away: only the Tuesday at the same time is offered.
    assert [s.start for s in rows[1].alternatives] == [at(LONDON, 2027, 5, 18, 10)]


def test_dates_past_the_horizon_are_said_so_and_offer_nothing():
    now = at(NEW_YORK, 2027, 2, 1, 8)
    rows = plan(
        after=at(NEW_YORK, 2027, 2, 1, 10),
        tz=NEW_YORK,
        count=4,
        policy=Policy(max_days_ahead=20),
        now=now,
    )
    assert [row.state for row in rows] == [
        SessionState.FREE,
        SessionState.FREE,
        SessionState.PAST_HORIZON,
        SessionState.PAST_HORIZON,
    ]
    assert rows[2].alternatives == rows[3].alternatives == ()


def test_a_date_inside_the_minimum_notice_is_too_soon():
    rows = plan(
        after=at(NEW_YORK, 2027, 1, 25, 10),
        tz=NEW_YORK,
        count=2,
        now=at(NEW_YORK, 2027, 2, 1, 8),  # two hours before the first date
    )
    assert [row.state for row in rows] == [SessionState.TOO_SOON, SessionState.FREE]
    assert all(s.start >= at(NEW_YORK, 2027, 2, 1, 20) for s in rows[0].alternatives)


def test_the_hour_skipped_in_spring_is_outside_hours_that_day_only():
    after = at(NEW_YORK, 2027, 3, 7, 2, 30)  # Sunday; 14 March has no 02:30
    rows = plan(after=after, tz=NEW_YORK, count=2)

    assert rows[0].state is SessionState.OUTSIDE_HOURS
    assert rows[0].start is None
    assert rows[0].alternatives  # earlier or later that night
    assert rows[1].state is SessionState.FREE
    assert rows[1].start.astimezone(NEW_YORK).time() == dt.time(2, 30)


def test_sessions_booked_a_moment_ago_hold_their_time():
    schedule = Schedule(1, HOURS)
    start = at(NEW_YORK, 2027, 2, 8, 10)
    busy = with_sessions(schedule, [Interval(start, start + FIFTY + POLICY.buffer)])
    nearby = nearby_free(
        schedule=busy,
        wall=dt.datetime(2027, 2, 8, 10),
        duration=FIFTY,
        policy=POLICY,
        now=at(NEW_YORK, 2027, 1, 4, 8),
        tz=NEW_YORK,
    )
    assert start not in [slot.start for slot in nearby]
    assert all(
        slot.start >= start + FIFTY + POLICY.buffer or slot.end + POLICY.buffer <= start
        for slot in nearby
    )
