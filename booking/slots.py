"""Free appointment slots, computed from working hours, time off and existing bookings.

Pure Python on purpose: no ORM, no settings, no clock. Callers load the data, pass ``now``
and the practice time zone in, and get plain values back, which keeps the rules easy to
test (daylight saving included) and cheap enough to run on every page view.

Conventions:

* Every datetime going in or out is timezone-aware UTC. The only wall-clock values are
  the working hours (``datetime.time`` in the practice time zone).
* Intervals are half-open, ``[start, end)``: two intervals that merely touch do not clash.
* A working range whose end is ``time(0)`` runs until midnight at the end of that day.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import chain, pairwise

from .wallclock import (
    MIDNIGHT,
    ONE_DAY,
    DayStarts,
    offset_of,
    offset_of_end,
    to_utc,
    to_utc_or_later,
)

__all__ = [
    "Interval",
    "Policy",
    "Schedule",
    "Slot",
    "closest_clear_of",
    "free_slots",
    "is_free",
    "nearest_free",
    "to_utc",
]

# nearest_free looks this many local days either side of the requested moment.
NEAREST_SEARCH_DAYS = 7


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of real time, ``[start, end)``, in aware UTC datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs timezone-aware datetimes")
        if not self.end > self.start:
            raise ValueError(f"Interval must end after it starts: {self.start} .. {self.end}")


@dataclass(frozen=True, slots=True)
class Schedule:
    """One practitioner's week, bookings and absences.

    ``weekly_hours`` maps a weekday (Monday=0) to wall-clock ranges in the practice time
    zone; a missing weekday is a day off. ``appointments`` already include the buffer that
    follows each session; ``time_off`` holds personal absences and clinic closures.
    """

    practitioner_id: int
    weekly_hours: dict[int, tuple[tuple[time, time], ...]]
    appointments: tuple[Interval, ...] = ()
    time_off: tuple[Interval, ...] = ()

    def __post_init__(self) -> None:
        # Bad hours would otherwise produce silently wrong or duplicated slots.
        for weekday, ranges in self.weekly_hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {weekday!r}")
            spans = sorted((offset_of(s), offset_of_end(e)) for s, e in ranges)
            for start, end in spans:
                if not end > start:
                    raise ValueError(f"working range must end after it starts (weekday {weekday})")
            for (_, previous_end), (start, _) in pairwise(spans):
                if start < previous_end:
                    raise ValueError(f"working ranges overlap on weekday {weekday}")


@dataclass(frozen=True, slots=True)
class Policy:
    """How the practice hands out slots."""

    step: timedelta = timedelta(minutes=15)
    buffer: timedelta = timedelta(minutes=10)
    min_notice: timedelta = timedelta(hours=12)
    max_days_ahead: int = 60

    def __post_init__(self) -> None:
        if self.step <= timedelta(0):
            raise ValueError("step must be positive")
        if self.buffer < timedelta(0):
            raise ValueError("buffer must not be negative")
        if self.max_days_ahead < 0:
            raise ValueError("max_days_ahead must not be negative")


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A bookable session: ``end`` is ``start + duration`` (the buffer is not included)."""

    start: datetime
    end: datetime
    practitioner_id: int


def free_slots(
    *,
    schedules: Sequence[Schedule],
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
    first_day: date,
    days: int,
) -> list[Slot]:
    """Every free slot on the local dates ``first_day`` .. ``first_day + days - 1``.

    A wall-clock start (range start, then every ``policy.step``) is offered when it exists
    in ``tz``, the session fits in its working range, the session plus ``policy.buffer``
    does not clash with an appointment, the session does not clash with time off, it is at
    least ``policy.min_notice`` after ``now`` and its local date is no later than today
    (local) plus ``policy.max_days_ahead``. The result is sorted by (start, practitioner_id).
    """
    _check_inputs(duration=duration, now=now)
    if days <= 0:
        return []
    last_day = min(
        first_day + timedelta(days=days - 1),
        now.astimezone(tz).date() + timedelta(days=policy.max_days_ahead),
    )
    if last_day < first_day:
        return []
    earliest = now + policy.min_notice
    day_list = _dates(first_day, last_day)
    day_starts = DayStarts(tz)
    slots: list[Slot] = []
    for schedule in schedules:
        slots.extend(
            _schedule_slots(
                schedule,
                day_list,
                duration=duration,
                policy=policy,
                earliest=earliest,
                tz=tz,
                day_starts=day_starts,
            )
        )
    if len(schedules) > 1:
        slots.sort(key=_slot_order)
    return slots


def is_free(
    *,
    schedule: Schedule,
    start: datetime,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> bool:
    """Whether ``start`` is one of the slots :func:`free_slots` would offer for ``schedule``.

    Meant for re-checking a chosen slot at the moment of booking, with fresh appointments:
    the same rules apply, so an instant off the step grid, or the second occurrence of an
    ambiguous wall-clock time, is never free.
    """
    _check_inputs(duration=duration, now=now)
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    day = start.astimezone(tz).date()
    # Only that local date can hold the slot, so compute just that day.
    slots = free_slots(
        schedules=(schedule,),
        duration=duration,
        policy=policy,
        now=now,
        tz=tz,
        first_day=day,
        days=1,
    )
    return any(slot.start == start for slot in slots)


def nearest_free(
    *,
    schedules: Sequence[Schedule],
    around: datetime,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
    limit: int = 6,
) -> list[Slot]:
    """The ``limit`` free slots closest in time to ``around``, before or after it.

    Searches the local date of ``around`` and ``NEAREST_SEARCH_DAYS`` days either side,
    under the same rules as :func:`free_slots` (so never inside the minimum notice or past
    the booking horizon). Each practitioner's slot counts separately; on equal distance the
    earlier slot wins. The result is sorted by (start, practitioner_id).
    """
    _check_inputs(duration=duration, now=now)
    if around.tzinfo is None:
        raise ValueError("around must be timezone-aware")
    if limit <= 0:
        return []
    centre = around.astimezone(tz).date()
    # Days before today can only hold past slots.
    first_day = max(centre - timedelta(days=NEAREST_SEARCH_DAYS), now.astimezone(tz).date())
    last_day = centre + timedelta(days=NEAREST_SEARCH_DAYS)
    if last_day < first_day:
        return []
    candidates = free_slots(
        schedules=schedules,
        duration=duration,
        policy=policy,
        now=now,
        tz=tz,
        first_day=first_day,
        days=(last_day - first_day).days + 1,
    )
    candidates.sort(key=lambda slot: (abs(slot.start - around), slot.start, slot.practitioner_id))
    closest = candidates[:limit]
    closest.sort(key=_slot_order)
    return closest


def closest_clear_of(
    candidates: Sequence[Slot], *, around: datetime, length: timedelta, taken: Sequence[Interval]
) -> list[Slot]:
    """The ``candidates`` whose ``[start, start + length)`` clears every ``taken`` interval,
    closest to ``around`` first (the earlier on a tie)."""
    clear = [
        slot
        for slot in candidates
        if not any(slot.start < other.end and other.start < slot.start + length for other in taken)
    ]
    return sorted(clear, key=lambda slot: (abs(slot.start - around), slot.start))


# --- internals ---------------------------------------------------------------------------


def _check_inputs(*, duration: timedelta, now: datetime) -> None:
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")


def _slot_order(slot: Slot) -> tuple[datetime, int]:
    return slot.start, slot.practitioner_id


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True, slots=True)
class _Range:
    """One working range, with everything that does not depend on the date worked out."""

    start: time
    end_offset: timedelta
    # Offsets from local midnight of every start that fits when the day has no transition.
    fast_offsets: tuple[timedelta, ...]


def _prepare_week(
    weekly_hours: dict[int, tuple[tuple[time, time], ...]], duration: timedelta, step: timedelta
) -> dict[int, tuple[_Range, ...]]:
    week: dict[int, tuple[_Range, ...]] = {}
    for weekday, ranges in weekly_hours.items():
        prepared = []
        for start, end in sorted(ranges, key=lambda r: offset_of(r[0])):
            start_offset, end_offset = offset_of(start), offset_of_end(end)
            count = max(0, (end_offset - start_offset - duration) // step + 1)
            offsets = tuple(start_offset + k * step for k in range(count))
            prepared.append(_Range(start, end_offset, offsets))
        if prepared:
            week[weekday] = tuple(prepared)
    return week


def _blocked_spans(
    schedule: Schedule, buffer: timedelta, window_start: datetime, window_end: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Sorted, disjoint spans that no session may overlap, as parallel start/end lists.

    The new session's buffer is folded into the appointments by moving each one's start
    back by ``buffer``: [s, s + d + buffer) meets [a, b) exactly when [s, s + d) meets
    [a - buffer, b). That lets appointments and time off share one list and one test.
    """
    spans = _spans_in_window(schedule, buffer, window_start, window_end)
    spans.sort()
    return _merged_starts_and_ends(spans)


def _spans_in_window(
    schedule: Schedule, buffer: timedelta, window_start: datetime, window_end: datetime
) -> list[tuple[datetime, datetime]]:
    """Appointments (buffer folded in) and time off that reach into the window, unsorted.
    Spans outside the window cannot matter and are dropped before sorting."""
    spans = [
        (appointment.start - buffer, appointment.end)
        for appointment in schedule.appointments
        if appointment.end > window_start and appointment.start - buffer < window_end
    ]
    spans.extend(
        (off.start, off.end)
        for off in schedule.time_off
        if off.end > window_start and off.start < window_end
    )
    return spans


def _merged_starts_and_ends(
    spans: list[tuple[datetime, datetime]],
) -> tuple[list[datetime], list[datetime]]:
    """Sorted spans with overlapping or touching ones joined, as parallel start/end lists."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for start, end in spans:
        # Merged spans are disjoint, so the first one still ending after a candidate starts
        # is the only one that can clash with it.
        if ends and start <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _schedule_slots(
    schedule: Schedule,
    day_list: list[date],
    *,
    duration: timedelta,
    policy: Policy,
    earliest: datetime,
    tz: tzinfo,
    day_starts: DayStarts,
) -> list[Slot]:
    week = _prepare_week(schedule.weekly_hours, duration, policy.step)
    if not week or not day_list:
        return []
    # Naive midnights read as UTC are within a day of the real local instants in any zone.
    window_start = max(datetime.combine(day_list[0], MIDNIGHT, tzinfo=UTC) - ONE_DAY, earliest)
    window_end = datetime.combine(day_list[-1], MIDNIGHT, tzinfo=UTC) + 2 * ONE_DAY
    block_starts, block_ends = _blocked_spans(schedule, policy.buffer, window_start, window_end)
    block_count = len(block_starts)
    # Candidates come out in increasing order (dates ascending, ranges sorted and disjoint,
    # fold=0 conversion is monotonic), so one pointer walks the blocked spans once.
    index = 0
    practitioner_id = schedule.practitioner_id
    slots: list[Slot] = []
    append = slots.append
    candidates = _candidate_starts(
        week, day_list, duration=duration, step=policy.step, tz=tz, day_starts=day_starts
    )
    for start in chain.from_iterable(candidates):
        if start < earliest:
            continue
        end = start + duration
        while index < block_count and block_ends[index] <= start:
            index += 1
        if index < block_count and block_starts[index] < end:
            continue
        append(Slot(start, end, practitioner_id))
    return slots


def _candidate_starts(
    week: dict[int, tuple[_Range, ...]],
    day_list: list[date],
    *,
    duration: timedelta,
    step: timedelta,
    tz: tzinfo,
    day_starts: DayStarts,
) -> Iterator[Iterable[datetime]]:
    """Every start the working hours allow, in increasing order, one working range at a
    time (so that chaining them adds nothing per start). Most days add the precomputed
    offsets to a known midnight; only a day when the clocks change goes through the wall
    clock."""
    for day in day_list:
        ranges = week.get(day.weekday())
        if ranges is None:
            continue
        midnight_utc = day_starts.get(day)
        for working in ranges:
            if midnight_utc is not None:
                yield [midnight_utc + offset for offset in working.fast_offsets]
            else:
                yield _transition_day_starts(day, working, duration, step, tz)


def _transition_day_starts(
    day: date, working: _Range, duration: timedelta, step: timedelta, tz: tzinfo
) -> Iterator[datetime]:
    """Starts of one range on a day when the clocks change: wall-clock grid, converted one
    by one, skipping times that do not exist, and bounded by the range's real end instant."""
    wall = datetime.combine(day, working.start)
    wall_end = datetime.combine(day, MIDNIGHT) + working.end_offset
    range_end = to_utc_or_later(wall_end, tz)
    while wall < wall_end:
        start = to_utc(wall, tz)
        wall += step
        if start is None:
            continue
        if start + duration > range_end:
            # Later wall times map to later instants, so nothing further fits either.
            return
        yield start
