"""The waiting list's arithmetic, without a database: who a time suits, in what order they
are asked, and how long it is held."""

import datetime as dt
from zoneinfo import ZoneInfo

from booking.waitlist.match import (
    FreeTime,
    Wish,
    accepts,
    entry_expires_at,
    first_taker,
    hold_until,
    in_offer_order,
    part_of_day,
    tells_everyone,
)

TZ = ZoneInfo("America/New_York")
MONDAY = dt.date(2027, 3, 1)
NOW = dt.datetime(2027, 2, 22, 9, 0, tzinfo=TZ)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def wish(entry_id: int = 1, **fields) -> Wish:
    values = {
        "entry_id": entry_id,
        "service_id": 7,
        "practitioner_id": None,
        "earliest": MONDAY,
        "latest": MONDAY + dt.timedelta(days=6),
        "created_at": NOW - dt.timedelta(days=entry_id),
    }
    return Wish(**(values | fields))


def time(start: dt.datetime, *, service_id: int = 7, practitioner_id: int = 3) -> FreeTime:
    return FreeTime(service_id=service_id, practitioner_id=practitioner_id, start=start)


def test_parts_of_day_follow_the_practices_clock():
    assert part_of_day(at(MONDAY, 11, 59), TZ) == "morning"
    assert part_of_day(at(MONDAY, 12), TZ) == "afternoon"
    assert part_of_day(at(MONDAY, 17), TZ) == "evening"
    # 16:30 in New York is 21:30 in UTC: the practice's clock decides, not the stored one.
    assert part_of_day(at(MONDAY, 16, 30).astimezone(dt.UTC), TZ) == "afternoon"


def test_a_wish_takes_only_its_service_practitioner_dates_days_and_parts():
    start = at(MONDAY, 10)
    assert accepts(wish(), time(start), TZ)
    assert not accepts(wish(service_id=8), time(start), TZ)
    assert accepts(wish(practitioner_id=3), time(start), TZ)
    assert not accepts(wish(practitioner_id=4), time(start), TZ)
    assert not accepts(wish(earliest=MONDAY + dt.timedelta(days=1)), time(start), TZ)
    assert not accepts(wish(latest=MONDAY - dt.timedelta(days=1)), time(start), TZ)
    assert accepts(wish(weekdays=frozenset({0, 2})), time(start), TZ)
    assert not accepts(wish(weekdays=frozenset({1})), time(start), TZ)
    assert accepts(wish(parts_of_day=frozenset({"morning"})), time(start), TZ)
    assert not accepts(wish(parts_of_day=frozenset({"evening"})), time(start), TZ)


def test_the_last_day_counts_in_full_on_the_local_calendar():
    late = at(MONDAY, 23, 30)  # already Tuesday in UTC
    assert accepts(wish(latest=MONDAY), time(late), TZ)


def test_moving_a_booking_takes_only_a_sooner_time():
    booked = at(MONDAY, 15)
    assert accepts(wish(before=booked), time(at(MONDAY, 10)), TZ)
    assert not accepts(wish(before=booked), time(booked), TZ)
    assert not accepts(wish(before=booked), time(at(MONDAY, 16)), TZ)


def test_urgent_entries_come_first_then_first_come_first_served():
    first, second, third = wish(1), wish(2), wish(3)  # 3 joined earliest
    marked = wish(4, urgent=True, created_at=NOW)
    assert [w.entry_id for w in in_offer_order([first, marked, second, third])] == [4, 3, 2, 1]


def test_the_first_taker_skips_entries_the_time_does_not_suit():
    oldest_but_evenings = wish(5, parts_of_day=frozenset({"evening"}))
    assert first_taker([wish(1), oldest_but_evenings], time(at(MONDAY, 10)), TZ).entry_id == 1
    assert first_taker([oldest_but_evenings], time(at(MONDAY, 10)), TZ) is None


HOLD = dt.timedelta(hours=2)
SHORT = dt.timedelta(minutes=30)
NOTICE = dt.timedelta(hours=12)


def test_a_time_days_away_is_held_for_the_long_hold():
    start = NOW + dt.timedelta(days=3)
    assert hold_until(start=start, now=NOW, hold=HOLD, short_hold=SHORT, notice=NOTICE) == (
        NOW + HOLD
    )


def test_a_time_within_a_day_gets_the_short_hold_and_never_past_the_notice():
    start = NOW + dt.timedelta(hours=20)
    assert hold_until(start=start, now=NOW, hold=HOLD, short_hold=SHORT, notice=NOTICE) == (
        NOW + SHORT
    )
    start = NOW + dt.timedelta(hours=12, minutes=15)
    assert hold_until(start=start, now=NOW, hold=HOLD, short_hold=SHORT, notice=NOTICE) == (
        start - NOTICE
    )


def test_no_hold_when_there_is_no_real_time_left_to_answer():
    start = NOW + NOTICE + dt.timedelta(minutes=5)
    assert hold_until(start=start, now=NOW, hold=HOLD, short_hold=SHORT, notice=NOTICE) is None
    assert hold_until(start=NOW, now=NOW, hold=HOLD, short_hold=SHORT, notice=NOTICE) is None


def test_everyone_is_told_only_close_to_the_time_and_only_when_switched_on():
    # Close means: under three hours left before online booking closes (12 h notice).
    soon, later = NOW + NOTICE + dt.timedelta(hours=2), NOW + NOTICE + dt.timedelta(hours=4)
    rules = {"now": NOW, "within": dt.timedelta(hours=3), "notice": NOTICE}
    assert tells_everyone(start=soon, switched_on=True, **rules)
    assert not tells_everyone(start=later, switched_on=True, **rules)
    assert not tells_everyone(start=soon, switched_on=False, **rules)


def test_an_entry_ends_on_its_latest_day_or_after_the_most_weeks():
    created = at(MONDAY, 9)
    assert entry_expires_at(
        created_at=created, latest=MONDAY + dt.timedelta(days=3), max_weeks=8, tz=TZ
    ) == at(MONDAY + dt.timedelta(days=4), 0)
    assert entry_expires_at(
        created_at=created, latest=MONDAY + dt.timedelta(days=90), max_weeks=8, tz=TZ
    ) == created + dt.timedelta(weeks=8)
