"""Wall-clock times in a time zone turned into UTC instants, across clock changes.

Pure Python, like ``slots`` which uses it: no ORM, no settings, no clock.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
MIDNIGHT = time(0)


def to_utc(local: datetime, tz: tzinfo) -> datetime | None:
    """Convert a naive wall-clock datetime in ``tz`` to an aware UTC datetime.

    Returns ``None`` when the wall-clock time does not exist in ``tz`` (the hour skipped
    when clocks go forward). An ambiguous time (the hour repeated when clocks go back)
    always resolves to its first occurrence, whatever ``local.fold`` says.
    """
    if local.tzinfo is not None:
        raise ValueError("to_utc expects a naive wall-clock datetime")
    wall = local.replace(fold=0)
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    # A skipped wall time converts to some instant but does not convert back to itself.
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return instant


def offset_of(value: time) -> timedelta:
    """How long after midnight a wall-clock time comes."""
    return timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def offset_of_end(value: time) -> timedelta:
    """Like ``offset_of``, for the end of a working range."""
    # time() cannot say 24:00, so a range ending at 00:00 ends at the following midnight.
    return ONE_DAY if value == MIDNIGHT else offset_of(value)


def to_utc_or_later(local: datetime, tz: tzinfo) -> datetime:
    """Like to_utc, but a skipped wall time moves on to the first existing minute after it."""
    instant = to_utc(local, tz)
    probe = local
    # Real-world gaps are at most a few hours; a day of minutes is a generous ceiling.
    for _ in range(24 * 60):
        if instant is not None:
            return instant
        probe += ONE_MINUTE
        instant = to_utc(probe, tz)
    raise ValueError(f"no existing wall-clock time within a day after {local} in {tz}")


class DayStarts:
    """UTC instant of local midnight for each date whose UTC offset is constant all day.

    On such a day wall-clock and real time advance together, so every candidate is that
    instant plus an offset computed once per range. Days with a transition (or a midnight
    that does not exist) map to None and take the slow, per-candidate path. Shared by all
    schedules of one call so each date is converted once.
    """

    __slots__ = ("_cache", "_tz")

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._cache: dict[date, datetime | None] = {}

    def get(self, day: date) -> datetime | None:
        try:
            return self._cache[day]
        except KeyError:
            pass
        midnight = datetime.combine(day, MIDNIGHT)
        start = to_utc(midnight, self._tz)
        end = to_utc(midnight + ONE_DAY, self._tz)
        uniform = start is not None and end is not None and end - start == ONE_DAY
        result = start if uniform else None
        self._cache[day] = result
        return result
