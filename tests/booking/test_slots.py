"""Free slot computation (booking.slots): plain Python, no Django and no database needed."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking import slots

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 6, 1)  # New York is on EDT (UTC-4) all June
NOW = datetime(2026, 5, 25, 12, tzinfo=UTC)
POLICY = slots.Policy()  # 15 min step, 10 min buffer, 12 h notice, 60 days ahead
SERVICE = timedelta(minutes=45)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Replaces the Django cache clearing of tests/conftest.py: this module never touches
    Django, so it also runs with ``-p no:django``."""
    yield


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    """A New York wall-clock time on a day without a clock change, as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=NY).astimezone(UTC)


def hhmm(result: list[slots.Slot], tz: ZoneInfo = NY) -> list[str]:
    return [slot.start.astimezone(tz).strftime("%H:%M") for slot in result]


def monday_slots(
    hours: tuple[tuple[time, time], ...],
    *,
    appointments: tuple[slots.Interval, ...] = (),
    time_off: tuple[slots.Interval, ...] = (),
    now: datetime = NOW,
) -> list[slots.Slot]:
    schedule = slots.Schedule(1, {0: hours}, appointments, time_off)
    return slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=now,
        tz=NY,
        first_day=MONDAY,
        days=1,
    )


def local_day_slots(
    tz: ZoneInfo, day: date, hours: tuple[tuple[time, time], ...]
) -> list[slots.Slot]:
    schedule = slots.Schedule(7, {day.weekday(): hours})
    return slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=datetime.combine(day, time(0), tzinfo=UTC) - timedelta(days=7),
        tz=tz,
        first_day=day,
        days=1,
    )


# --- a plain day ---------------------------------------------------------------------------


def test_basic_day_offers_every_step_where_the_session_fits():
    result = monday_slots(((time(9), time(11)),))
    assert hhmm(result) == ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15"]
    assert result[0] == slots.Slot(utc(2026, 6, 1, 13, 0), utc(2026, 6, 1, 13, 45), 1)
    assert result[-1] == slots.Slot(utc(2026, 6, 1, 14, 15), utc(2026, 6, 1, 15, 0), 1)
    assert all(slot.start.tzinfo is UTC and slot.end - slot.start == SERVICE for slot in result)


def test_new_sessions_buffer_may_not_reach_into_an_appointment():
    # Existing session 10:05-10:50 (+10 min buffer). 09:15-10:00 itself is clear, but its
    # own buffer would run to 10:10.
    appointment = slots.Interval(at(10, 5), at(11, 0))
    assert hhmm(monday_slots(((time(9), time(11)),), appointments=(appointment,))) == ["09:00"]


def test_new_session_plus_buffer_may_end_exactly_when_an_appointment_starts():
    appointment = slots.Interval(at(10, 10), at(11, 0))
    result = monday_slots(((time(9), time(11)),), appointments=(appointment,))
    assert hhmm(result) == ["09:00", "09:15"]  # 09:15 + 45 + 10 = 10:10


@pytest.mark.parametrize(
    ("appointment_end", "expected"),
    [
        # Session 09:00-09:55 plus its buffer to 10:05: 10:00 is blocked by the buffer alone.
        ((10, 5), ["10:15", "10:30", "10:45", "11:00", "11:15"]),
        # Session 09:00-09:50 plus buffer to 10:00: starting right at 10:00 is fine.
        ((10, 0), ["10:00", "10:15", "10:30", "10:45", "11:00", "11:15"]),
    ],
)
def test_existing_appointments_buffer_blocks_and_touching_it_is_allowed(appointment_end, expected):
    appointment = slots.Interval(at(9, 0), at(*appointment_end))
    assert hhmm(monday_slots(((time(9), time(12)),), appointments=(appointment,))) == expected


def test_sessions_do_not_cross_a_break_between_ranges():
    result = monday_slots(((time(11), time(12)), (time(9), time(10, 30))))
    assert hhmm(result) == ["09:00", "09:15", "09:30", "09:45", "11:00", "11:15"]


def test_a_weekday_missing_from_the_hours_gives_no_slots():
    schedule = slots.Schedule(1, {0: ((time(9), time(10)),)})
    week = slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        first_day=MONDAY,
        days=7,
    )
    assert [slot.start for slot in week] == [at(9, 0), at(9, 15)]
    tuesday_only = slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        first_day=MONDAY + timedelta(days=1),
        days=6,
    )
    assert tuesday_only == []


def test_time_off_removes_overlapping_sessions_but_ignores_the_buffer():
    # 09:00-09:45 stays: only its buffer (to 09:55) would meet the time off at 09:50.
    time_off = slots.Interval(at(9, 50), at(10, 20))
    result = monday_slots(((time(9), time(12)),), time_off=(time_off,))
    assert hhmm(result) == ["09:00", "10:30", "10:45", "11:00", "11:15"]


def test_a_whole_day_clinic_closure_removes_that_day_only():
    tuesday = MONDAY + timedelta(days=1)
    closure = slots.Interval(at(0, 0), at(0, 0, tuesday))
    hours = ((time(9), time(10)),)
    schedule = slots.Schedule(1, {0: hours, 1: hours}, time_off=(closure,))
    result = slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        first_day=MONDAY,
        days=2,
    )
    assert [slot.start for slot in result] == [at(9, 0, tuesday), at(9, 15, tuesday)]


# --- booking window ------------------------------------------------------------------------


def test_min_notice_boundary_is_inclusive():
    now = at(9, 30) - POLICY.min_notice
    result = monday_slots(((time(9), time(11)),), now=now)
    assert hhmm(result) == ["09:30", "09:45", "10:00", "10:15"]
    just_later = monday_slots(((time(9), time(11)),), now=now + timedelta(microseconds=1))
    assert hhmm(just_later) == ["09:45", "10:00", "10:15"]


@pytest.mark.parametrize(
    ("max_days_ahead", "first_day", "expected_days"),
    [
        # now is 1 June 02:00 UTC = 31 May 22:00 in New York, so "today" is 31 May.
        (60, date(2026, 7, 29), [date(2026, 7, 29), date(2026, 7, 30)]),
        (1, date(2026, 6, 1), [date(2026, 6, 1)]),
    ],
)
def test_max_days_ahead_counts_from_the_local_date(max_days_ahead, first_day, expected_days):
    every_day = {weekday: ((time(9), time(9, 45)),) for weekday in range(7)}
    result = slots.free_slots(
        schedules=[slots.Schedule(1, every_day)],
        duration=SERVICE,
        policy=slots.Policy(min_notice=timedelta(0), max_days_ahead=max_days_ahead),
        now=utc(2026, 6, 1, 2, 0),
        tz=NY,
        first_day=first_day,
        days=4,
    )
    assert [slot.start for slot in result] == [at(9, 0, day) for day in expected_days]


def test_no_days_or_no_schedules_give_nothing():
    schedule = slots.Schedule(1, {0: ((time(9), time(17)),)})
    common = {"duration": SERVICE, "policy": POLICY, "now": NOW, "tz": NY, "first_day": MONDAY}
    assert slots.free_slots(schedules=[schedule], days=0, **common) == []
    assert slots.free_slots(schedules=[], days=7, **common) == []


# --- several practitioners -----------------------------------------------------------------


def test_several_practitioners_sorted_by_start_then_id_and_blocked_separately():
    hours = {0: ((time(9), time(10, 30)),)}
    busy = slots.Schedule(1, hours, appointments=(slots.Interval(at(9, 0), at(9, 40)),))
    idle = slots.Schedule(2, hours)
    late = slots.Schedule(3, {0: ((time(9, 30), time(10, 15)),)})
    result = slots.free_slots(
        schedules=[late, idle, busy],
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        first_day=MONDAY,
        days=1,
    )
    assert [(slot.start, slot.practitioner_id) for slot in result] == [
        (at(9, 0), 2),
        (at(9, 15), 2),
        (at(9, 30), 2),
        (at(9, 30), 3),
        (at(9, 45), 1),
        (at(9, 45), 2),
    ]


# --- daylight saving -----------------------------------------------------------------------


def test_new_york_spring_change_keeps_local_opening_time():
    saturday, sunday = date(2026, 3, 7), date(2026, 3, 8)
    hours = ((time(9), time(17)),)
    schedule = slots.Schedule(1, {5: hours, 6: hours})
    result = slots.free_slots(
        schedules=[schedule],
        duration=SERVICE,
        policy=POLICY,
        now=utc(2026, 3, 1),
        tz=NY,
        first_day=saturday,
        days=2,
    )
    by_day = {
        day: [slot for slot in result if slot.start.astimezone(NY).date() == day]
        for day in (saturday, sunday)
    }
    assert by_day[saturday][0].start == utc(2026, 3, 7, 14, 0)  # 09:00 EST
    assert by_day[sunday][0].start == utc(2026, 3, 8, 13, 0)  # 09:00 EDT
    assert by_day[sunday][-1].start == utc(2026, 3, 8, 20, 15)  # 16:15 EDT
    assert len(by_day[saturday]) == len(by_day[sunday]) == 30


def test_new_york_spring_night_skips_the_missing_hour():
    result = local_day_slots(NY, date(2026, 3, 8), ((time(0), time(4)),))
    # 00:00-01:45 EST (UTC-5), then straight to 03:00 EDT (UTC-4); 04:00 EDT = 08:00Z.
    assert [slot.start for slot in result] == [
        utc(2026, 3, 8, 5, 0),
        utc(2026, 3, 8, 5, 15),
        utc(2026, 3, 8, 5, 30),
        utc(2026, 3, 8, 5, 45),
        utc(2026, 3, 8, 6, 0),
        utc(2026, 3, 8, 6, 15),
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 8, 6, 45),
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 7, 15),
    ]
    assert 2 not in {slot.start.astimezone(NY).hour for slot in result}
    crossing = result[7]  # 01:45 EST -> 03:30 EDT: 45 real minutes
    assert crossing.end == utc(2026, 3, 8, 7, 30)
    assert crossing.end.astimezone(NY).time() == time(3, 30)
    assert all(slot.end - slot.start == SERVICE for slot in result)


def test_new_york_spring_ranges_starting_or_ending_in_the_gap():
    sunday = date(2026, 3, 8)
    # The range end 02:30 does not exist: the first existing minute after it is 03:00 EDT.
    ends_in_gap = local_day_slots(NY, sunday, ((time(0), time(2, 30)),))
    assert [slot.start for slot in ends_in_gap] == [
        utc(2026, 3, 8, 5, 0) + timedelta(minutes=15 * n) for n in range(6)
    ]
    assert ends_in_gap[-1].end == utc(2026, 3, 8, 7, 0)
    starts_in_gap = local_day_slots(NY, sunday, ((time(2, 30), time(5)),))
    assert [slot.start for slot in starts_in_gap] == [
        utc(2026, 3, 8, 7, 0) + timedelta(minutes=15 * n) for n in range(6)
    ]


def test_new_york_autumn_change_keeps_local_opening_time():
    sunday = date(2026, 11, 1)
    result = local_day_slots(NY, sunday, ((time(9), time(17)),))
    assert result[0].start == utc(2026, 11, 1, 14, 0)  # 09:00 EST
    assert result[-1].start == utc(2026, 11, 1, 21, 15)  # 16:15 EST
    assert len(result) == 30
    saturday = local_day_slots(NY, date(2026, 10, 31), ((time(9), time(17)),))
    assert saturday[0].start == utc(2026, 10, 31, 13, 0)  # 09:00 EDT


def test_new_york_autumn_night_offers_the_repeated_hour_once():
    result = local_day_slots(NY, date(2026, 11, 1), ((time(0), time(4)),))
    first_pass = [utc(2026, 11, 1, 4, 0) + timedelta(minutes=15 * n) for n in range(8)]
    after_change = [utc(2026, 11, 1, 7, 0) + timedelta(minutes=15 * n) for n in range(6)]
    # 00:00-01:45 EDT, then 02:00-03:15 EST; the second 01:xx (06:00-06:59Z) is never offered.
    assert [slot.start for slot in result] == first_pass + after_change
    one_oclock = [slot for slot in result if slot.start.astimezone(NY).hour == 1]
    assert [slot.start.astimezone(NY).utcoffset() for slot in one_oclock] == [
        timedelta(hours=-4)
    ] * 4
    crossing = result[7]  # 01:45 EDT -> 01:30 EST: 45 real minutes
    assert crossing.end - crossing.start == SERVICE
    ends_local = crossing.end.astimezone(NY)
    assert (ends_local.time(), ends_local.utcoffset()) == (time(1, 30), timedelta(hours=-5))


def test_london_spring_change():
    sunday = date(2026, 3, 29)
    day = local_day_slots(LONDON, sunday, ((time(9), time(17)),))
    assert day[0].start == utc(2026, 3, 29, 8, 0)  # 09:00 BST
    saturday = local_day_slots(LONDON, date(2026, 3, 28), ((time(9), time(17)),))
    assert saturday[0].start == utc(2026, 3, 28, 9, 0)  # 09:00 GMT
    night = local_day_slots(LONDON, sunday, ((time(0), time(3)),))
    # 00:00-00:45 GMT, no 01:xx at all, then 02:00 BST = 01:00Z; 03:00 BST = 02:00Z.
    assert [slot.start for slot in night] == [
        utc(2026, 3, 29, 0, 0),
        utc(2026, 3, 29, 0, 15),
        utc(2026, 3, 29, 0, 30),
        utc(2026, 3, 29, 0, 45),
        utc(2026, 3, 29, 1, 0),
        utc(2026, 3, 29, 1, 15),
    ]
    assert 1 not in {slot.start.astimezone(LONDON).hour for slot in night}
    assert night[3].end == utc(2026, 3, 29, 1, 30)  # 00:45 GMT -> 02:30 BST
    assert night[3].end.astimezone(LONDON).time() == time(2, 30)


def test_london_autumn_change():
    sunday = date(2026, 10, 25)
    day = local_day_slots(LONDON, sunday, ((time(9), time(17)),))
    assert day[0].start == utc(2026, 10, 25, 9, 0)  # 09:00 GMT
    saturday = local_day_slots(LONDON, date(2026, 10, 24), ((time(9), time(17)),))
    assert saturday[0].start == utc(2026, 10, 24, 8, 0)  # 09:00 BST
    night = local_day_slots(LONDON, sunday, ((time(0), time(3)),))
    # 00:00-01:45 BST (from 23:00Z the day before), then 02:00-02:15 GMT; 03:00 GMT = 03:00Z.
    assert [slot.start for slot in night] == [
        utc(2026, 10, 24, 23, 0) + timedelta(minutes=15 * n) for n in range(8)
    ] + [utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 15)]
    crossing = night[7]  # 01:45 BST -> 01:30 GMT
    assert crossing.end - crossing.start == SERVICE
    assert crossing.end.astimezone(LONDON).utcoffset() == timedelta(0)


def test_range_ending_at_midnight_runs_to_the_end_of_the_day():
    result = monday_slots(((time(22), time(0)),))
    assert hhmm(result) == ["22:00", "22:15", "22:30", "22:45", "23:00", "23:15"]
    assert result[-1].end == at(0, 0, MONDAY + timedelta(days=1))


# --- to_utc --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "local", "expected"),
    [
        (NY, datetime(2026, 6, 1, 9, 0), utc(2026, 6, 1, 13, 0)),
        (NY, datetime(2026, 1, 15, 9, 0), utc(2026, 1, 15, 14, 0)),
        (NY, datetime(2026, 3, 8, 1, 59), utc(2026, 3, 8, 6, 59)),
        (NY, datetime(2026, 3, 8, 2, 0), None),
        (NY, datetime(2026, 3, 8, 2, 30), None),
        (NY, datetime(2026, 3, 8, 3, 0), utc(2026, 3, 8, 7, 0)),
        (NY, datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1, 5, 30)),
        (NY, datetime(2026, 11, 1, 1, 30, fold=1), utc(2026, 11, 1, 5, 30)),
        (NY, datetime(2026, 11, 1, 2, 0), utc(2026, 11, 1, 7, 0)),
        (LONDON, datetime(2026, 6, 1, 9, 0), utc(2026, 6, 1, 8, 0)),
        (LONDON, datetime(2026, 1, 15, 9, 0), utc(2026, 1, 15, 9, 0)),
        (LONDON, datetime(2026, 3, 29, 1, 0), None),
        (LONDON, datetime(2026, 3, 29, 1, 30), None),
        (LONDON, datetime(2026, 3, 29, 2, 0), utc(2026, 3, 29, 1, 0)),
        (LONDON, datetime(2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30)),
        (LONDON, datetime(2026, 10, 25, 1, 30, fold=1), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_to_utc(tz, local, expected):
    result = slots.to_utc(local, tz)
    assert result == expected
    if result is not None:
        assert result.tzinfo is UTC


def test_to_utc_refuses_an_aware_datetime():
    with pytest.raises(ValueError):
        slots.to_utc(utc(2026, 6, 1, 9, 0), NY)


# --- is_free -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (NY, MONDAY, ((time(9), time(12)), (time(13), time(15)))),
        (NY, MONDAY, ((time(18), time(23, 30)),)),  # evenings are the next day in UTC
        (NY, date(2026, 11, 1), ((time(0), time(4)),)),  # autumn change, repeated hour
        (NY, date(2026, 3, 8), ((time(0), time(4)),)),  # spring change, missing hour
        (LONDON, date(2026, 10, 25), ((time(0), time(3)),)),  # starts the previous UTC day
    ],
)
def test_is_free_agrees_with_free_slots(tz, day, hours):
    scan_from = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=12)
    rng = random.Random(7)
    appointments = tuple(
        slots.Interval(start, start + timedelta(minutes=55))
        for start in (
            scan_from + timedelta(minutes=5 * rng.randrange(0, 48 * 12)) for _ in range(9)
        )
    )
    schedule = slots.Schedule(4, {day.weekday(): hours}, appointments)
    now = scan_from - timedelta(days=3)
    offered = {
        slot.start
        for slot in slots.free_slots(
            schedules=[schedule],
            duration=SERVICE,
            policy=POLICY,
            now=now,
            tz=tz,
            first_day=day,
            days=1,
        )
    }
    assert offered
    # Every 5 minutes over 48 hours covers the whole local day whatever the offset.
    for n in range(48 * 12):
        instant = scan_from + timedelta(minutes=5 * n)
        free = slots.is_free(
            schedule=schedule, start=instant, duration=SERVICE, policy=POLICY, now=now, tz=tz
        )
        assert free == (instant in offered), instant


def test_is_free_rejects_off_grid_and_second_occurrence_starts():
    monday = slots.Schedule(1, {0: ((time(9), time(12)),)})
    common = {"duration": SERVICE, "policy": POLICY, "now": NOW, "tz": NY}
    assert slots.is_free(schedule=monday, start=at(9, 15), **common)
    assert not slots.is_free(schedule=monday, start=at(9, 7), **common)
    assert not slots.is_free(schedule=monday, start=at(9, 15) + timedelta(seconds=1), **common)
    night = slots.Schedule(1, {6: ((time(0), time(4)),)})
    common["now"] = utc(2026, 10, 20)
    assert slots.is_free(schedule=night, start=utc(2026, 11, 1, 5, 30), **common)  # 01:30 EDT
    assert not slots.is_free(schedule=night, start=utc(2026, 11, 1, 6, 30), **common)  # 01:30 EST


# --- nearest_free --------------------------------------------------------------------------


WEEKDAY_MORNINGS = {weekday: ((time(9), time(12)),) for weekday in range(5)}
WEDNESDAY = date(2026, 6, 3)


def test_nearest_free_returns_the_closest_slots_sorted():
    around = at(10, 7, WEDNESDAY)
    schedule = slots.Schedule(1, WEEKDAY_MORNINGS)
    result = slots.nearest_free(
        schedules=[schedule],
        around=around,
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        limit=4,
    )
    # 10:00 is 7 min away, 10:15 8, 09:45 22, 10:30 23; 09:30 (37) is the fifth.
    expected = [(9, 45), (10, 0), (10, 15), (10, 30)]
    assert [slot.start for slot in result] == [at(h, m, WEDNESDAY) for h, m in expected]


def test_nearest_free_looks_back_to_earlier_days():
    saturday = WEDNESDAY + timedelta(days=3)  # nobody works weekends
    friday = saturday - timedelta(days=1)
    result = slots.nearest_free(
        schedules=[slots.Schedule(1, WEEKDAY_MORNINGS)],
        around=at(10, 0, saturday),
        duration=SERVICE,
        policy=POLICY,
        now=NOW,
        tz=NY,
        limit=2,
    )
    # Friday 11:15 is 22 h 45 min before; Monday 09:00 would be 47 h after.
    assert [slot.start for slot in result] == [at(11, 0, friday), at(11, 15, friday)]


def test_nearest_free_skips_booked_times_and_respects_the_limit():
    around = at(10, 7, WEDNESDAY)
    booked = slots.Interval(at(10, 0, WEDNESDAY), at(10, 40, WEDNESDAY))
    schedules = [
        slots.Schedule(1, WEEKDAY_MORNINGS, appointments=(booked,)),
        slots.Schedule(2, {3: ((time(9), time(12)),)}),  # Thursdays only
    ]
    result = slots.nearest_free(
        schedules=schedules, around=around, duration=SERVICE, policy=POLICY, now=NOW, tz=NY, limit=3
    )
    # Free on Wednesday: 09:00 (67 min away), 10:45 (38), 11:00 (53), 11:15 (68).
    assert [(slot.start, slot.practitioner_id) for slot in result] == [
        (at(9, 0, WEDNESDAY), 1),
        (at(10, 45, WEDNESDAY), 1),
        (at(11, 0, WEDNESDAY), 1),
    ]
    assert (
        slots.nearest_free(
            schedules=schedules,
            around=around,
            duration=SERVICE,
            policy=POLICY,
            now=NOW,
            tz=NY,
            limit=0,
        )
        == []
    )


def test_nearest_free_never_offers_the_past_or_inside_min_notice():
    now = at(8, 0, WEDNESDAY)  # earliest bookable: Wednesday 20:00
    around = at(10, 7, WEDNESDAY)
    schedules = [slots.Schedule(1, WEEKDAY_MORNINGS), slots.Schedule(2, WEEKDAY_MORNINGS)]
    result = slots.nearest_free(
        schedules=schedules, around=around, duration=SERVICE, policy=POLICY, now=now, tz=NY, limit=5
    )
    thursday = WEDNESDAY + timedelta(days=1)
    assert [(slot.start, slot.practitioner_id) for slot in result] == [
        (at(9, 0, thursday), 1),
        (at(9, 0, thursday), 2),
        (at(9, 15, thursday), 1),
        (at(9, 15, thursday), 2),
        (at(9, 30, thursday), 1),
    ]


def test_nearest_free_stops_at_the_booking_horizon():
    now = at(12, 0, WEDNESDAY) - timedelta(days=7)
    policy = slots.Policy(max_days_ahead=7)
    schedule = slots.Schedule(1, WEEKDAY_MORNINGS)
    # Thursday 09:00 would be closest to Wednesday 23:00, but Thursday is past the horizon.
    result = slots.nearest_free(
        schedules=[schedule],
        around=at(23, 0, WEDNESDAY),
        duration=SERVICE,
        policy=policy,
        now=now,
        tz=NY,
        limit=3,
    )
    assert [slot.start for slot in result] == [
        at(10, 45, WEDNESDAY),
        at(11, 0, WEDNESDAY),
        at(11, 15, WEDNESDAY),
    ]


# --- random calendars ----------------------------------------------------------------------


def _random_intervals(
    rng: random.Random, days: list[date], count: int
) -> tuple[slots.Interval, ...]:
    intervals = []
    for _ in range(count):
        start = datetime.combine(rng.choice(days), time(8), tzinfo=NY).astimezone(UTC)
        start += timedelta(minutes=5 * rng.randrange(0, 12 * 12))
        intervals.append(
            slots.Interval(start, start + timedelta(minutes=rng.randrange(15, 125, 5)))
        )
    return tuple(intervals)


def _overlaps(a_start: datetime, a_end: datetime, b: slots.Interval) -> bool:
    return a_start < b.end and b.start < a_end


@pytest.mark.parametrize("seed", range(6))
def test_random_calendars_never_clash_and_miss_nothing(seed):
    """Checks every invariant by brute force, including that no free start is left out."""
    rng = random.Random(seed)
    first_day = MONDAY if seed % 2 else date(2026, 10, 26)  # even seeds span the autumn change
    days = [first_day + timedelta(days=n) for n in range(14)]
    hours = {
        weekday: ((time(9), time(12, 30)), (time(13, 30), time(18)))
        for weekday in rng.sample(range(7), 5)
    }
    schedules = [
        slots.Schedule(
            pid,
            hours,
            appointments=_random_intervals(rng, days, 40),
            time_off=_random_intervals(rng, days, 3),
        )
        for pid in (1, 2)
    ]
    now = datetime.combine(first_day, time(3), tzinfo=NY).astimezone(UTC)
    result = slots.free_slots(
        schedules=schedules,
        duration=SERVICE,
        policy=POLICY,
        now=now,
        tz=NY,
        first_day=first_day,
        days=14,
    )
    assert result == sorted(result, key=lambda slot: (slot.start, slot.practitioner_id))
    by_id = {schedule.practitioner_id: schedule for schedule in schedules}
    expected = set()
    for schedule in schedules:
        for day in days:
            for range_start, range_end in hours.get(day.weekday(), ()):
                wall = datetime.combine(day, range_start)
                end_instant = datetime.combine(day, range_end, tzinfo=NY).astimezone(UTC)
                while wall < datetime.combine(day, range_end):
                    start = wall.replace(tzinfo=NY).astimezone(UTC)
                    wall += POLICY.step
                    session_end = start + SERVICE
                    if (
                        start >= now + POLICY.min_notice
                        and session_end <= end_instant
                        and not any(
                            _overlaps(start, session_end + POLICY.buffer, appointment)
                            for appointment in schedule.appointments
                        )
                        and not any(_overlaps(start, session_end, off) for off in schedule.time_off)
                    ):
                        expected.add((start, schedule.practitioner_id))
    assert {(slot.start, slot.practitioner_id) for slot in result} == expected
    assert len(result) == len(expected)
    for slot in result:
        schedule = by_id[slot.practitioner_id]
        assert slot.end - slot.start == SERVICE
        blocked_end = slot.end + POLICY.buffer
        assert not any(_overlaps(slot.start, blocked_end, a) for a in schedule.appointments)
        assert not any(_overlaps(slot.start, slot.end, off) for off in schedule.time_off)
        local_start = slot.start.astimezone(NY)
        local_end = slot.end.astimezone(NY)
        assert any(
            range_start <= local_start.time() and local_end.time() <= range_end
            for range_start, range_end in hours[local_start.weekday()]
        )


# --- validation ----------------------------------------------------------------------------


def test_invalid_values_are_refused():
    with pytest.raises(ValueError):
        slots.Interval(at(10), at(10))
    with pytest.raises(ValueError):
        slots.Interval(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10))
    with pytest.raises(ValueError):
        slots.Schedule(1, {0: ((time(9), time(12)), (time(11), time(13)))})
    with pytest.raises(ValueError):
        slots.Schedule(1, {0: ((time(12), time(9)),)})
    with pytest.raises(ValueError):
        slots.Schedule(1, {7: ((time(9), time(12)),)})
    with pytest.raises(ValueError):
        slots.Policy(step=timedelta(0))
    with pytest.raises(ValueError):
        monday_slots(((time(9), time(12)),), now=datetime(2026, 5, 25, 12))


def test_closest_clear_of_drops_times_that_overlap_a_promised_one_and_sorts_by_distance():
    starts = [at(9), at(9, 30), at(10), at(11), at(13)]
    candidates = [slots.Slot(start=s, end=s + SERVICE, practitioner_id=1) for s in starts]
    promised = [slots.Interval(at(9, 30), at(10, 30))]
    clear = slots.closest_clear_of(
        candidates, around=at(11, 30), length=timedelta(minutes=45), taken=promised
    )
    # 9:00 runs into 9:30; 9:30 and 10:00 overlap it; on a tie the earlier comes first.
    assert hhmm(clear) == ["11:00", "13:00"]
    assert hhmm(slots.closest_clear_of(candidates, around=at(10), length=SERVICE, taken=[])) == [
        "10:00", "09:30", "09:00", "11:00", "13:00"
    ]  # fmt: skip
