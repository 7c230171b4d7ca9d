"""Which waiting patient a freed time suits, in what order they are asked, and for how long
it is held. Pure: plain values in, plain values out, ``now`` passed in, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Where the parts of the day begin and end, in the practice's wall-clock time.
NOON = dt.time(12, 0)
FIVE_PM = dt.time(17, 0)
# A time this close is offered for the short hold only.
SOON = dt.timedelta(hours=24)
# A hold shorter than this is no real chance to answer: the time is not offered then.
SHORTEST_HOLD = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Wish:
    """One entry on the waiting list, as the matching sees it."""

    entry_id: int
    service_id: int
    practitioner_id: int | None  # None: anyone
    earliest: dt.date
    latest: dt.date
    weekdays: frozenset[int] = frozenset()  # Monday is 0; empty: any day
    parts_of_day: frozenset[str] = frozenset()  # "morning", "afternoon", "evening"; empty: any
    urgent: bool = False
    created_at: dt.datetime | None = None
    before: dt.datetime | None = None  # moving a booked appointment: only a sooner time


@dataclass(frozen=True)
class FreeTime:
    """A start time free for ``service_id`` with ``practitioner_id``."""

    service_id: int
    practitioner_id: int
    start: dt.datetime


def part_of_day(moment: dt.datetime, tz: ZoneInfo) -> str:
    """Morning before noon, afternoon until five, evening after, on the practice's clock."""
    local = moment.astimezone(tz).time()
    if local < NOON:
        return "morning"
    return "afternoon" if local < FIVE_PM else "evening"


def accepts(wish: Wish, time: FreeTime, tz: ZoneInfo) -> bool:
    """Whether the entry would take this time: its service, its practitioner (or anyone),
    a day in its range and among its weekdays, in a part of the day it named; sooner than
    its booked appointment, for an entry that wants one moved."""
    if wish.service_id != time.service_id:
        return False
    if wish.practitioner_id is not None and wish.practitioner_id != time.practitioner_id:
        return False
    if wish.before is not None and time.start >= wish.before:
        return False
    day = time.start.astimezone(tz).date()
    if not wish.earliest <= day <= wish.latest:
        return False
    if wish.weekdays and day.weekday() not in wish.weekdays:
        return False
    return not wish.parts_of_day or part_of_day(time.start, tz) in wish.parts_of_day


def in_offer_order(wishes: Iterable[Wish]) -> list[Wish]:
    """Urgent entries first (staff mark them), then first come, first served."""
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(wishes, key=lambda w: (not w.urgent, w.created_at or oldest, w.entry_id))


def first_taker(wishes: Iterable[Wish], time: FreeTime, tz: ZoneInfo) -> Wish | None:
    """The entry the time is offered to next: the first in offer order that accepts it."""
    return next((w for w in in_offer_order(wishes) if accepts(w, time, tz)), None)


def hold_until(
    *,
    start: dt.datetime,
    now: dt.datetime,
    hold: dt.timedelta,
    short_hold: dt.timedelta,
    notice: dt.timedelta,
) -> dt.datetime | None:
    """When a hold on ``start`` made ``now`` ends: ``hold`` for a time days away,
    ``short_hold`` within a day, and never after the last moment the time may be booked
    (its start minus the minimum notice). None when that leaves no real time to answer."""
    length = short_hold if start - now <= SOON else hold
    end = min(now + length, start - notice)
    return end if end - now >= SHORTEST_HOLD else None


def tells_everyone(
    *,
    start: dt.datetime,
    now: dt.datetime,
    within: dt.timedelta,
    notice: dt.timedelta,
    switched_on: bool,
) -> bool:
    """Close to the time, a practice that chose it tells every matching entry at once:
    when less than ``within`` is left before online booking closes for it (its start
    minus the minimum notice), too little to hold it for one patient after another."""
    return switched_on and start - notice - now < within


def entry_expires_at(
    *, created_at: dt.datetime, latest: dt.date, max_weeks: int, tz: ZoneInfo
) -> dt.datetime:
    """An entry ends at the close of its latest date, or ``max_weeks`` after it was made,
    whichever comes first."""
    end_of_latest = dt.datetime.combine(latest + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return min(end_of_latest.astimezone(dt.UTC), created_at + dt.timedelta(weeks=max_weeks))
