"""Wall-clock minutes of a local day, and spans of them: no database, no request. Written
for people the practice's way (``practice.local_time``).

A span is ``(first minute, minute after the last)`` since local midnight, 0 to 1440.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from booking.intervals import merge_spans
from practice import local_time

DAY_MINUTES = 24 * 60


def time_of(minutes: int) -> dt.time:
    """Minutes since local midnight as a time of day (1440, the end of the day, is midnight)."""
    return dt.time(minutes // 60 % 24, minutes % 60)


def clock(minutes: int) -> str:
    """Minutes since local midnight as the practice writes the time ("2:30 PM")."""
    return local_time.clock(time_of(minutes))


def clock_range(start: int, end: int) -> str:
    """From one minute of the day to another, short: "9:30-10:00 AM" (an en dash)."""
    return local_time.clock_range(time_of(start), time_of(end))


def hour_mark(minutes: int) -> str:
    """A whole hour of the grid in its short form ("9 AM")."""
    return local_time.hour_mark(time_of(minutes))


def iso_clock(minutes: int) -> str:
    """Minutes since local midnight as "HH:MM", for links and forms, never for people."""
    return time_of(minutes).isoformat("minutes")


def minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def local_span(
    starts_at: dt.datetime, ends_at: dt.datetime, day: dt.date, zone: ZoneInfo
) -> tuple[int, int] | None:
    """The part of [starts_at, ends_at) on the local ``day``, as wall-clock minutes since
    midnight (0 to 1440), or None when it does not touch that day."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() > day or end.date() < day:
        return None
    lo = minutes_of(start.time()) if start.date() == day else 0
    hi = minutes_of(end.time()) if end.date() == day else DAY_MINUTES
    return (lo, hi) if hi > lo else None


def clip(lo: int, hi: int, grid: tuple[int, int]) -> tuple[int, int] | None:
    lo, hi = max(lo, grid[0]), min(hi, grid[1])
    return (lo, hi) if hi > lo else None


def subtract_spans(
    spans: Iterable[tuple[int, int]], taken: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """What is left of ``spans`` once everything in ``taken`` is cut out of it."""
    left = merge_spans(spans)
    for lo, hi in merge_spans(taken):
        left = [
            part
            for a, b in left
            for part in ((a, min(b, lo)), (max(a, hi), b))
            if part[1] > part[0]
        ]
    return left


def first_free_minute(day: dt.date, now: dt.datetime | None, zone: ZoneInfo, step: int = 15) -> int:
    """From which minute of ``day`` time can still be booked: the next ``step`` of the
    clock today, none of a past day, all of a day to come."""
    if now is None:
        return 0
    local_now = now.astimezone(zone)
    if day != local_now.date():
        return DAY_MINUTES if day < local_now.date() else 0
    elapsed = minutes_of(local_now.time()) + (1 if local_now.second or local_now.microsecond else 0)
    return -(-elapsed // step) * step


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The start of the local ``day``: the bounds of what the agenda loads for it."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)
