"""Moving sessions of a course by one shift in local wall time (booking/courses/plan.py):
pure, no database, across the clock changes of New York and London."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.courses.plan import SessionMove, SessionState, moved_walls, plan_move
from booking.slots import Interval, Policy, Schedule

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
FIFTY = dt.timedelta(minutes=50)
POLICY = Policy(max_days_ahead=400)
# Monday to Friday, 09:00-17:00 local.
HOURS = {day: ((dt.time(9), dt.time(17)),) for day in range(5)}


def at(tz, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz).astimezone(UTC)


def weekly(tz, first: dt.date, hour: int, count: int) -> list[dt.datetime]:
    """``count`` weekly sessions at ``hour`` local, made in wall time as a course is."""
    return [at(tz, *(first + dt.timedelta(weeks=k)).timetuple()[:3], hour) for k in range(count)]


def sessions_of(starts, walls):
    return [
        SessionMove(n, start, start + FIFTY + POLICY.buffer, wall)
        for n, (start, wall) in enumerate(zip(starts, walls, strict=True))
    ]


def plan(tz, sessions, *, appointments=(), time_off=(), staying=(), now=None):
    return plan_move(
        schedule=Schedule(1, HOURS, tuple(appointments), tuple(time_off)),
        sessions=sessions,
        staying=staying,
        duration=FIFTY,
        policy=POLICY,
        now=now or at(tz, 2027, 1, 4, 8),
        tz=tz,
    )


@pytest.mark.parametrize(
    ("tz", "first"),
    [
        (NEW_YORK, dt.date(2027, 3, 1)),  # clocks forward on 14 March
        (NEW_YORK, dt.date(2027, 10, 25)),  # clocks back on 7 November
        (LONDON, dt.date(2027, 3, 15)),  # clocks forward on 28 March
        (LONDON, dt.date(2027, 10, 18)),  # clocks back on 31 October
    ],
)
def test_a_course_moved_on_keeps_the_new_local_time_across_a_clock_change(tz, first):
    starts = weekly(tz, first, 10, 4)  # Mondays at 10:00
    # To the Tuesday of the week after, 14:30: the second session's move spans the change.
    to = at(tz, *(first + dt.timedelta(days=8)).timetuple()[:3], 14, 30)

    walls = moved_walls(starts=starts, moved=starts[0], to=to, tz=tz)

    assert walls == [
        dt.datetime.combine(first + dt.timedelta(weeks=k, days=8), dt.time(14, 30))
        for k in range(4)
    ]
    rows = plan(tz, sessions_of(starts, walls))
    assert [row.state for row in rows] == [SessionState.FREE] * 4
    assert [row.start.astimezone(tz).time() for row in rows] == [dt.time(14, 30)] * 4
    # Not the same shift in real time for every session: one crosses the change.
    shifts = {row.start - start for row, start in zip(rows, starts, strict=True)}
    assert len(shifts) == 2


def test_moving_from_a_later_session_shifts_the_earlier_ones_by_the_same_days():
    starts = weekly(NEW_YORK, dt.date(2027, 2, 1), 10, 3)
    to = at(NEW_YORK, 2027, 2, 12, 9)  # the second session, Monday the 8th, to Friday 09:00

    walls = moved_walls(starts=starts, moved=starts[1], to=to, tz=NEW_YORK)

    assert walls == [
        dt.datetime(2027, 2, 5, 9),
        dt.datetime(2027, 2, 12, 9),
        dt.datetime(2027, 2, 19, 9),
    ]


def test_a_session_that_lands_on_a_booking_or_time_off_cannot_move_and_says_why():
    starts = weekly(LONDON, dt.date(2027, 5, 3), 10, 3)
    walls = moved_walls(starts=starts, moved=starts[0], to=at(LONDON, 2027, 5, 4, 11), tz=LONDON)
    booked = Interval(at(LONDON, 2027, 5, 11, 11, 30), at(LONDON, 2027, 5, 11, 12, 30))
    away = Interval(at(LONDON, 2027, 5, 18, 0), at(LONDON, 2027, 5, 19, 0))

    rows = plan(LONDON, sessions_of(starts, walls), appointments=[booked], time_off=[away])

    assert [row.state for row in rows] == [
        SessionState.FREE,
        SessionState.TAKEN,
        SessionState.AWAY,
    ]
    assert [row.can_move for row in rows] == [True, False, False]


def test_a_course_moved_by_its_own_interval_lands_on_its_own_old_times_freely():
    starts = weekly(NEW_YORK, dt.date(2027, 2, 1), 10, 3)
    walls = moved_walls(starts=starts, moved=starts[0], to=starts[1], tz=NEW_YORK)

    rows = plan(NEW_YORK, sessions_of(starts, walls))

    assert [row.state for row in rows] == [SessionState.FREE] * 3
    assert [row.start for row in rows] == [*starts[1:], at(NEW_YORK, 2027, 2, 22, 10)]


def test_a_session_that_stays_holds_its_time_against_the_others():
    starts = weekly(NEW_YORK, dt.date(2027, 2, 1), 10, 3)
    walls = moved_walls(starts=starts, moved=starts[0], to=starts[1], tz=NEW_YORK)
    # The second session is too close to change: the first cannot move onto its time, and
    # the third, free to move, does.
    rows = plan(NEW_YORK, sessions_of(starts, walls), staying={1})

    assert [(row.key, row.state) for row in rows] == [
        (0, SessionState.TAKEN),
        (2, SessionState.FREE),
    ]


def test_two_sessions_never_land_on_each_other():
    starts = [at(NEW_YORK, 2027, 2, 1, 10), at(NEW_YORK, 2027, 2, 8, 10)]
    same = [dt.datetime(2027, 2, 3, 10)] * 2  # asked to go to one time, both

    rows = plan(NEW_YORK, sessions_of(starts, same))

    assert [row.state for row in rows] == [SessionState.FREE, SessionState.TAKEN]


def test_the_hour_skipped_in_spring_cannot_be_moved_to():
    # Sunday hours at night, so that only the missing wall time refuses it.
    starts = weekly(NEW_YORK, dt.date(2027, 3, 1), 10, 3)
    walls = moved_walls(
        starts=starts, moved=starts[0], to=at(NEW_YORK, 2027, 2, 28, 2, 30), tz=NEW_YORK
    )
    night = Schedule(1, {6: ((dt.time(0), dt.time(6)),)})
    rows = plan_move(
        schedule=night,
        sessions=sessions_of(starts, walls),
        duration=FIFTY,
        policy=POLICY,
        now=at(NEW_YORK, 2027, 1, 4, 8),
        tz=NEW_YORK,
    )

    assert walls[2] == dt.datetime(2027, 3, 14, 2, 30)  # does not exist in New York
    assert [row.state for row in rows] == [
        SessionState.FREE,
        SessionState.FREE,
        SessionState.OUTSIDE_HOURS,
    ]
    assert rows[2].start is None


def test_moving_inside_the_notice_is_too_soon():
    starts = weekly(NEW_YORK, dt.date(2027, 2, 8), 10, 2)
    walls = moved_walls(
        starts=starts, moved=starts[0], to=at(NEW_YORK, 2027, 2, 1, 10), tz=NEW_YORK
    )
    rows = plan(NEW_YORK, sessions_of(starts, walls), now=at(NEW_YORK, 2027, 2, 1, 8))

    # The first stays where it is, so the second cannot take its old time either.
    assert [row.state for row in rows] == [SessionState.TOO_SOON, SessionState.TAKEN]
    later = moved_walls(
        starts=starts, moved=starts[0], to=at(NEW_YORK, 2027, 2, 1, 14), tz=NEW_YORK
    )
    rows = plan(NEW_YORK, sessions_of(starts, later), now=at(NEW_YORK, 2027, 2, 1, 8))
    assert [row.state for row in rows] == [SessionState.TOO_SOON, SessionState.FREE]
