"""The agenda's plain data and grid arithmetic: no database, no request.

Times on the grid are local wall-clock times in the practice's zone: an appointment at
09:00 sits on the 09:00 row on every day, the days the clocks change included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60
FALLBACK_START = 8 * 60
FALLBACK_END = 19 * 60
EN_DASH = "\N{EN DASH}"


# --- Plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A practitioner as the grid needs them."""

    id: int
    name: str


@dataclass(frozen=True)
class Away:
    """Time off: one practitioner's, or the whole clinic's when ``practitioner_id`` is None.
    ``busy``: a busy time from the practitioner's own calendar, shown as "Busy" and nothing
    more (what it is stays in their calendar)."""

    practitioner_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = ""
    busy: bool = False


@dataclass(frozen=True)
class Visit:
    """An appointment as staff see it on the grid: no health information."""

    id: int
    practitioner_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    service: str
    patient: str
    first_visit: bool = False
    flagged: bool = False
    unscreened: bool = False  # booked by phone, health questions not answered yet
    status_label: str = ""  # empty for confirmed appointments
    url: str | None = None


def clock(minutes: int) -> str:
    """Minutes since local midnight as "HH:MM" (1440 is "24:00")."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


@dataclass(frozen=True)
class Block:
    """Something drawn in a column, ``top`` and ``height`` in minutes from the grid start.

    ``kind`` is "working", "break", "time_off" or "appointment". ``start`` and ``end`` are
    wall-clock minutes since local midnight of the part of the thing on this day.
    """

    kind: str
    top: int
    height: int
    start: int
    end: int
    label: str = ""
    detail: str = ""
    visit: Visit | None = None

    @property
    def time_range(self) -> str:
        if self.start == 0 and self.end == DAY_MINUTES:
            return "All day"
        return f"{clock(self.start)}{EN_DASH}{clock(self.end)}"


@dataclass
class Column:
    """One practitioner on one day."""

    day: dt.date
    practitioner: Person
    hours: list[tuple[int, int]]
    background: list[Block] = field(default_factory=list)
    time_off: list[Block] = field(default_factory=list)
    appointments: list[Block] = field(default_factory=list)

    @property
    def is_working(self) -> bool:
        return bool(self.hours)

    @property
    def hours_text(self) -> str:
        return ", ".join(f"{clock(lo)}{EN_DASH}{clock(hi)}" for lo, hi in self.hours)

    @property
    def is_empty(self) -> bool:
        """Nothing worth a full-width column: no hours, no time off, no appointments."""
        return not (self.hours or self.time_off or self.appointments)


@dataclass
class Day:
    date: dt.date
    columns: list[Column]
    is_today: bool = False
    url: str = ""  # the day view of this day, set by the view


@dataclass
class Grid:
    """Everything the agenda template draws. Minutes are counted from ``start``."""

    start: int
    end: int
    days: list[Day]

    @property
    def height(self) -> int:
        return self.end - self.start

    @property
    def hour_marks(self) -> list[tuple[str, int]]:
        """("09:00", minutes from the top) for every whole hour on the grid."""
        first = -(-self.start // 60) * 60
        return [(clock(m), m - self.start) for m in range(first, self.end, 60)]

    @property
    def appointment_count(self) -> int:
        return sum(len(c.appointments) for d in self.days for c in d.columns)


# --- Grid arithmetic (no database) ------------------------------------------------------


def grid_bounds(
    working: Iterable[tuple[int, int]], also: Iterable[tuple[int, int]] = ()
) -> tuple[int, int]:
    """The grid's first and last minute: from the earliest working start to the latest
    working end, whole hours, 08:00 to 19:00 when nobody works. ``also`` (appointments)
    widens it so nothing booked outside the hours is hidden."""
    spans = list(working)
    if spans:
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    else:
        lo, hi = FALLBACK_START, FALLBACK_END
    for s, e in also:
        lo, hi = min(lo, s), max(hi, e)
    lo = lo // 60 * 60
    hi = min(-(-hi // 60) * 60, DAY_MINUTES)
    return lo, hi


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


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _clip(lo: int, hi: int, grid: tuple[int, int]) -> tuple[int, int] | None:
    lo, hi = max(lo, grid[0]), min(hi, grid[1])
    return (lo, hi) if hi > lo else None


def background_blocks(hours: Sequence[tuple[int, int]], grid: tuple[int, int]) -> list[Block]:
    """Tiles the whole column: working time, and breaks between and around it."""
    start, end = grid
    spans = [s for s in (_clip(lo, hi, grid) for lo, hi in merge_spans(hours)) if s]
    if not spans:
        return [Block("break", 0, end - start, start, end, label="Not working")]
    blocks: list[Block] = []
    cursor = start
    for lo, hi in spans:
        if lo > cursor:
            label = "Break" if blocks else "Outside hours"
            blocks.append(Block("break", cursor - start, lo - cursor, cursor, lo, label=label))
        blocks.append(Block("working", lo - start, hi - lo, lo, hi, label="Working"))
        cursor = hi
    if cursor < end:
        blocks.append(
            Block("break", cursor - start, end - cursor, cursor, end, label="Outside hours")
        )
    return blocks


def build_column(
    *,
    day: dt.date,
    practitioner: Person,
    hours: Sequence[tuple[dt.time, dt.time]],
    away: Iterable[Away],
    visits: Iterable[Visit],
    grid: tuple[int, int],
    zone: ZoneInfo,
) -> Column:
    """One practitioner's day. ``hours`` are that weekday's working ranges (local times);
    ``away`` and ``visits`` may hold anyone's: only this practitioner's (and clinic
    closures) that touch ``day`` are drawn."""
    start = grid[0]
    spans = merge_spans((minutes_of(a), minutes_of(b)) for a, b in hours)
    column = Column(day=day, practitioner=practitioner, hours=spans)
    column.background = background_blocks(spans, grid)

    def placed(kind, starts_at, ends_at, **text) -> Block | None:
        """The block for [starts_at, ends_at) on this day's grid, or None if it is not on it."""
        on_day = local_span(starts_at, ends_at, day, zone)
        shown = on_day and _clip(*on_day, grid)
        if not shown:
            return None
        return Block(kind, shown[0] - start, shown[1] - shown[0], *on_day, **text)

    for item in away:
        if item.practitioner_id not in (None, practitioner.id):
            continue
        label = (
            "Busy" if item.busy else "Clinic closed" if item.practitioner_id is None else "Time off"
        )
        block = placed("time_off", item.starts_at, item.ends_at, label=label, detail=item.reason)
        if block:
            column.time_off.append(block)
    for visit in visits:
        if visit.practitioner_id != practitioner.id:
            continue
        block = placed(
            "appointment",
            visit.starts_at,
            visit.ends_at,
            label=visit.service,
            detail=visit.patient,
            visit=visit,
        )
        if block:
            column.appointments.append(block)
    column.time_off.sort(key=lambda b: b.top)
    column.appointments.sort(key=lambda b: b.top)
    return column


def build_grid(
    *,
    days: Sequence[dt.date],
    practitioners: Sequence[Person],
    hours: Mapping[int, Mapping[int, Sequence[tuple[dt.time, dt.time]]]],
    away: Sequence[Away],
    visits: Sequence[Visit],
    zone: ZoneInfo,
    today: dt.date | None = None,
) -> Grid:
    """The whole agenda: ``hours[practitioner_id][weekday]`` lists local working ranges."""

    def hours_on(person: Person, day: dt.date):
        return hours.get(person.id, {}).get(day.weekday(), ())

    working = [
        (minutes_of(a), minutes_of(b))
        for day in days
        for person in practitioners
        for a, b in hours_on(person, day)
    ]
    shown_ids = {p.id for p in practitioners}
    booked = [
        span
        for visit in visits
        if visit.practitioner_id in shown_ids
        for day in days
        if (span := local_span(visit.starts_at, visit.ends_at, day, zone))
    ]
    bounds = grid_bounds(working, booked)
    return Grid(
        start=bounds[0],
        end=bounds[1],
        days=[
            Day(
                date=day,
                is_today=day == today,
                columns=[
                    build_column(
                        day=day,
                        practitioner=person,
                        hours=hours_on(person, day),
                        away=away,
                        visits=visits,
                        grid=bounds,
                        zone=zone,
                    )
                    for person in practitioners
                ],
            )
            for day in days
        ],
    )


def patient_short_name(first_name: str, last_name: str) -> str:
    """ "Ada L.": enough for staff to recognise, little to overhear."""
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The start of the local ``day``: the bounds of what the agenda loads for it."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)
