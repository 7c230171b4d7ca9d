"""The agenda's plain data and grid arithmetic: no database, no request.

Times on the grid are local wall-clock times in the practice's zone: an appointment at
9:00 AM sits on the 9 AM row on every day, the days the clocks change included.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from booking.intervals import merge_spans

from .spans import (
    DAY_MINUTES,
    clip,
    clock,
    clock_range,
    first_free_minute,
    hour_mark,
    iso_clock,
    local_midnight,
    local_span,
    minutes_of,
    subtract_spans,
)

__all__ = ["local_midnight", "local_span"]  # where the agenda's other modules find them

FALLBACK_START = 8 * 60
FALLBACK_END = 19 * 60
FREE_PIECE = 30  # minutes: the day's grid offers free time to book half an hour at a time
MIN_FREE = 15  # minutes: a shorter gap fits no session, so it is not offered


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
    stopped: bool = False  # their answers through the link met a stop: call the patient
    status_label: str = ""  # empty for confirmed appointments
    url: str | None = None
    blocked_until: dt.datetime | None = None  # the end and the buffer after it

    @property
    def marker(self) -> str:
        if self.stopped:
            return "Stopped at screening: call the patient"
        if self.unscreened:
            return "Not screened yet"
        return "Flagged" if self.flagged else ""

    @property
    def summary(self) -> str:
        """Everything the card says, in one line: its ``title``, for when the card is short."""
        markers = [
            self.marker,
            "First visit" if self.first_visit else "",
            self.status_label,
        ]
        return ", ".join([self.service, self.patient, *filter(None, markers)])


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
        return clock_range(self.start, self.end)

    @property
    def start_clock(self) -> str:
        return clock(self.start)

    @property
    def start_value(self) -> str:
        """The start as the booking form reads it ("14:30"), for the free time's link."""
        return iso_clock(self.start)


@dataclass
class Column:
    """One practitioner on one day."""

    day: dt.date
    practitioner: Person
    hours: list[tuple[int, int]]
    background: list[Block] = field(default_factory=list)
    time_off: list[Block] = field(default_factory=list)
    appointments: list[Block] = field(default_factory=list)
    free: list[Block] = field(default_factory=list)  # working time nothing holds yet
    # Free block's start minute: (entries on the waiting list it suits, the list's link).
    waiting: dict[int, tuple[int, str]] = field(default_factory=dict)

    @property
    def free_pieces(self) -> list[Block]:
        """The free time cut at every half hour of the clock: one link each on the day's grid."""
        return [piece for block in self.free for piece in split_block(block, FREE_PIECE)]

    @property
    def timeline(self) -> list[Block]:
        """Time off, appointments and free time in the order of the day (the week's list)."""
        return sorted(
            [*self.time_off, *self.appointments, *self.free], key=lambda b: (b.start, b.end)
        )

    @property
    def is_working(self) -> bool:
        return bool(self.hours)

    @property
    def hours_text(self) -> str:
        return ", ".join(clock_range(lo, hi) for lo, hi in self.hours)

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
        """("9 AM", minutes from the top) for every whole hour on the grid."""
        first = -(-self.start // 60) * 60
        return [(hour_mark(m), m - self.start) for m in range(first, self.end, 60)]

    @property
    def appointment_count(self) -> int:
        return sum(len(c.appointments) for d in self.days for c in d.columns)

    @property
    def rows(self) -> list[tuple[Person, list[Column]]]:
        """The week turned around: one row a practitioner, their day in each column."""
        if not self.days:
            return []
        people = [column.practitioner for column in self.days[0].columns]
        return [(person, [day.columns[n] for day in self.days]) for n, person in enumerate(people)]


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


def split_block(block: Block, every: int) -> list[Block]:
    """``block`` cut at each multiple of ``every`` minutes past midnight, never into a piece
    shorter than ``MIN_FREE`` (a short end joins its neighbour)."""
    cuts = [
        m
        for m in range((block.start // every + 1) * every, block.end, every)
        if m - block.start >= MIN_FREE and block.end - m >= MIN_FREE
    ]
    bounds = [block.start, *cuts, block.end]
    return [
        Block(block.kind, block.top + lo - block.start, hi - lo, lo, hi, label=block.label)
        for lo, hi in itertools.pairwise(bounds)
    ]


def background_blocks(hours: Sequence[tuple[int, int]], grid: tuple[int, int]) -> list[Block]:
    """Tiles the whole column: working time, and breaks between and around it."""
    start, end = grid
    spans = [s for s in (clip(lo, hi, grid) for lo, hi in merge_spans(hours)) if s]
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


def _placed(kind, starts_at, ends_at, *, day, zone, grid, **text) -> Block | None:
    """The block for [starts_at, ends_at) on ``day``'s grid, or None if it is not on it."""
    on_day = local_span(starts_at, ends_at, day, zone)
    shown = on_day and clip(*on_day, grid)
    if not shown:
        return None
    return Block(kind, shown[0] - grid[0], shown[1] - shown[0], *on_day, **text)


def _away_label(item: Away) -> str:
    """What a time away is called on the grid: the calendar's "Busy" says nothing more."""
    if item.busy:
        return "Busy"
    return "Clinic closed" if item.practitioner_id is None else "Time off"


def _time_off_blocks(away, practitioner: Person, **where) -> list[Block]:
    """The practitioner's own time off and the clinic's closures, in order down the day."""
    mine = (a for a in away if a.practitioner_id in (None, practitioner.id))
    blocks = [
        _placed("time_off", a.starts_at, a.ends_at, label=_away_label(a), detail=a.reason, **where)
        for a in mine
    ]
    return sorted((b for b in blocks if b), key=lambda b: b.top)


def _appointment_blocks(visits, **where) -> list[Block]:
    """The practitioner's appointments, in order down the day."""
    blocks = [
        _placed(
            "appointment",
            v.starts_at,
            v.ends_at,
            label=v.service,
            detail=v.patient,
            visit=v,
            **where,
        )
        for v in visits
    ]
    return sorted((b for b in blocks if b), key=lambda b: b.top)


def _free_blocks(hours, held, grid: tuple[int, int], not_before: int) -> list[Block]:
    """Working time nothing holds, from ``not_before`` on, long enough for a session."""
    bookable = subtract_spans(hours, [(0, not_before), *held])
    shown = (s for s in (clip(*span, grid) for span in bookable) if s)
    return [
        Block("free", lo - grid[0], hi - lo, lo, hi, label="Free")
        for lo, hi in shown
        if hi - lo >= MIN_FREE
    ]


def build_column(
    *,
    day: dt.date,
    practitioner: Person,
    hours: Sequence[tuple[dt.time, dt.time]],
    away: Iterable[Away],
    visits: Iterable[Visit],
    grid: tuple[int, int],
    zone: ZoneInfo,
    not_before: int = 0,
) -> Column:
    """One practitioner's day. ``hours`` are that weekday's working ranges (local times);
    ``away`` and ``visits`` may hold anyone's: only this practitioner's (and clinic
    closures) that touch ``day`` are drawn. Working time that nothing holds, from the
    minute ``not_before`` on (the time now, on today), is free to book."""
    spans = merge_spans((minutes_of(a), minutes_of(b)) for a, b in hours)
    mine = [v for v in visits if v.practitioner_id == practitioner.id]
    where = {"day": day, "zone": zone, "grid": grid}
    column = Column(day=day, practitioner=practitioner, hours=spans)
    column.background = background_blocks(spans, grid)
    column.time_off = _time_off_blocks(away, practitioner, **where)
    column.appointments = _appointment_blocks(mine, **where)
    # What holds time: time off as drawn, and each appointment with its buffer after it.
    held = [(b.start, b.end) for b in column.time_off] + [
        span
        for v in mine
        if (span := local_span(v.starts_at, v.blocked_until or v.ends_at, day, zone))
    ]
    column.free = _free_blocks(spans, held, grid, not_before)
    return column


def _hours_on(hours, person: Person, day: dt.date):
    """The person's working ranges on ``day``'s weekday."""
    return hours.get(person.id, {}).get(day.weekday(), ())


def _agenda_bounds(*, days, practitioners, hours, visits, zone: ZoneInfo) -> tuple[int, int]:
    """The first and last minute the whole agenda shows: every shown practitioner's hours,
    and their appointments, on every day shown (``grid_bounds``)."""
    working = [
        (minutes_of(a), minutes_of(b))
        for day in days
        for person in practitioners
        for a, b in _hours_on(hours, person, day)
    ]
    shown_ids = {p.id for p in practitioners}
    booked = [
        span
        for visit in visits
        if visit.practitioner_id in shown_ids
        for day in days
        if (span := local_span(visit.starts_at, visit.ends_at, day, zone))
    ]
    return grid_bounds(working, booked)


def build_grid(
    *,
    days: Sequence[dt.date],
    practitioners: Sequence[Person],
    hours: Mapping[int, Mapping[int, Sequence[tuple[dt.time, dt.time]]]],
    away: Sequence[Away],
    visits: Sequence[Visit],
    zone: ZoneInfo,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Grid:
    """The whole agenda: ``hours[practitioner_id][weekday]`` lists local working ranges.
    Free time is offered from ``now`` on (from the start of every day without it)."""
    bounds = _agenda_bounds(
        days=days, practitioners=practitioners, hours=hours, visits=visits, zone=zone
    )
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
                        hours=_hours_on(hours, person, day),
                        away=away,
                        visits=visits,
                        grid=bounds,
                        zone=zone,
                        not_before=first_free_minute(day, now, zone),
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
