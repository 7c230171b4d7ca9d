"""The dates of a course, each checked by the same arithmetic as a single booking.

Pure Python, like ``booking.slots``: no ORM, no settings, no clock. Dates are made in local
wall-clock time: a session at 10:00 stays at 10:00 across a change of the clocks (never
``+ 7 * 24 h``), and a wall time that does not exist on a day (the hour skipped in spring)
is "outside hours" on that day.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from ..slots import Interval, Policy, Schedule, Slot, free_slots, is_free
from ..wallclock import ONE_DAY, to_utc, to_utc_or_later

# How often a course may repeat, in weeks.
INTERVALS = (1, 2, 3, 4)
# Nearby times offered for a date that cannot be booked.
ALTERNATIVES = 3


class SessionState(StrEnum):
    """What stands in the way of one date of a course; the value is what the patient reads."""

    FREE = "free"
    TAKEN = "taken"
    AWAY = "closed or the practitioner is away"
    OUTSIDE_HOURS = "outside hours"
    TOO_SOON = "too soon to book online"
    PAST_HORIZON = "past the booking horizon"
    LOCKED = "too close to its time to change online"


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One date of a course: the local wall time asked for, its instant (None when that wall
    time does not exist on the day), whether it is free, and what is free nearby if not."""

    number: int
    wall: datetime
    start: datetime | None
    state: SessionState
    alternatives: tuple[Slot, ...] = ()

    @property
    def is_free(self) -> bool:
        return self.state is SessionState.FREE


def course_walls(
    *,
    after: datetime,
    tz: tzinfo,
    every_weeks: int,
    count: int,
    not_before: datetime | None = None,
) -> list[datetime]:
    """The naive local wall times of ``count`` sessions following the one at ``after``
    (aware), every ``every_weeks`` weeks at the same local time; the first of them not
    before ``not_before`` (a course asked for after the visit starts from now on)."""
    if every_weeks not in INTERVALS:
        raise ValueError(f"a course repeats every 1 to 4 weeks, not {every_weeks!r}")
    if count < 1:
        raise ValueError("a course needs at least one more session")
    first = after.astimezone(tz).replace(tzinfo=None)
    skip = 0
    if not_before is not None:
        earliest = not_before.astimezone(tz).replace(tzinfo=None)
        while first + timedelta(weeks=every_weeks * (skip + 1)) < earliest:
            skip += 1
    # Naive datetimes add as wall-clock time: the date moves, the time of day stays.
    return [first + timedelta(weeks=every_weeks * k) for k in range(skip + 1, skip + count + 1)]


def plan_course(
    *,
    schedule: Schedule,
    after: datetime,
    every_weeks: int,
    count: int,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> list[PlannedSession]:
    """Each date of the course with its state, under the rules of ``slots.free_slots``
    (hours, time off and closures, appointments with their buffer, notice, horizon), and,
    for a date that is not free, up to ``ALTERNATIVES`` free times nearby: the next day at
    the same time first, then the same day's closest times."""
    walls = course_walls(after=after, tz=tz, every_weeks=every_weeks, count=count, not_before=now)
    return [
        _planned(number, wall, schedule, duration=duration, policy=policy, now=now, tz=tz)
        for number, wall in enumerate(walls, start=1)
    ]


def state_of(
    *,
    schedule: Schedule,
    wall: datetime,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> tuple[SessionState, datetime | None]:
    """Why the local wall time ``wall`` can or cannot be booked for ``schedule``, and its
    instant (None if it does not exist that day)."""
    start = to_utc(wall, tz)
    horizon = now.astimezone(tz).date() + timedelta(days=policy.max_days_ahead)
    if wall.date() > horizon:
        return SessionState.PAST_HORIZON, start
    if start is None:
        return SessionState.OUTSIDE_HOURS, None
    if start < now + policy.min_notice:
        return SessionState.TOO_SOON, start

    def free(candidate: Schedule) -> bool:
        return is_free(
            schedule=candidate, start=start, duration=duration, policy=policy, now=now, tz=tz
        )

    if free(schedule):
        return SessionState.FREE, start
    # Which rule refuses it: the hours alone, then the hours with time off, else bookings.
    if not free(dataclasses.replace(schedule, appointments=(), time_off=())):
        return SessionState.OUTSIDE_HOURS, start
    if not free(dataclasses.replace(schedule, appointments=())):
        return SessionState.AWAY, start
    return SessionState.TAKEN, start


def nearby_free(
    *,
    schedule: Schedule,
    wall: datetime,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
    limit: int = ALTERNATIVES,
) -> list[Slot]:
    """Free times near the wall time ``wall``: the next day at the same wall time, then the
    other free times of the same day, closest first; in time order."""
    found = free_slots(
        schedules=(schedule,),
        duration=duration,
        policy=policy,
        now=now,
        tz=tz,
        first_day=wall.date(),
        days=2,
    )
    wanted = to_utc_or_later(wall, tz)
    next_day = to_utc(wall + ONE_DAY, tz)
    chosen = [slot for slot in found if slot.start == next_day][:1]
    same_day = [slot for slot in found if slot.start.astimezone(tz).date() == wall.date()]
    same_day.sort(key=lambda slot: (abs(slot.start - wanted), slot.start))
    chosen.extend(same_day[: limit - len(chosen)])
    return sorted(chosen)


def with_sessions(schedule: Schedule, booked: Iterable[Interval]) -> Schedule:
    """``schedule`` with more booked time (sessions of the course booked a moment ago)."""
    merged = sorted((*schedule.appointments, *booked), key=lambda interval: interval.start)
    return dataclasses.replace(schedule, appointments=tuple(merged))


def without_sessions(schedule: Schedule, held: Iterable[Interval]) -> Schedule:
    """``schedule`` without the booked time of ``held`` (sessions about to move)."""
    gone = set(held)
    kept = tuple(interval for interval in schedule.appointments if interval not in gone)
    return dataclasses.replace(schedule, appointments=kept)


def _planned(
    number: int,
    wall: datetime,
    schedule: Schedule,
    *,
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> PlannedSession:
    state, start = state_of(
        schedule=schedule, wall=wall, duration=duration, policy=policy, now=now, tz=tz
    )
    alternatives: Sequence[Slot] = ()
    if state is not SessionState.FREE and state is not SessionState.PAST_HORIZON:
        alternatives = nearby_free(
            schedule=schedule, wall=wall, duration=duration, policy=policy, now=now, tz=tz
        )
    return PlannedSession(number, wall, start, state, tuple(alternatives))


@dataclass(frozen=True, slots=True)
class SessionMove:
    """One session of a course to move: its key (the caller's), the instants it holds now
    (start, and the end of its buffer), and the naive local wall time it moves to."""

    key: object
    start: datetime
    blocked_until: datetime
    wall: datetime


@dataclass(frozen=True, slots=True)
class PlannedMove:
    """Where one session would move, and whether it can: ``start`` is None when its new
    wall time does not exist that day."""

    key: object
    wall: datetime
    start: datetime | None
    state: SessionState

    @property
    def can_move(self) -> bool:
        return self.state is SessionState.FREE


def moved_walls(
    *, starts: Sequence[datetime], moved: datetime, to: datetime, tz: tzinfo
) -> list[datetime]:
    """The naive local wall times that ``starts`` move to when the session at ``moved``
    moves to ``to``: each to the day as many days later (or earlier) and to the new time of
    day, both in local wall time, so a change of the clocks between them changes nothing
    (never ``+ n * 24 h``)."""
    old, new = moved.astimezone(tz), to.astimezone(tz)
    days = new.date() - old.date()
    at = new.time().replace(tzinfo=None)
    return [datetime.combine(s.astimezone(tz).date() + days, at) for s in starts]


def _plan_round(
    *,
    schedule: Schedule,
    sessions: Sequence[SessionMove],
    settled: set[object],
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> dict[object, PlannedMove]:
    """One pass: every session not ``settled`` checked at its new wall time, the settled
    ones holding their old time and each one found free holding its new time."""
    kept = [Interval(s.start, s.blocked_until) for s in sessions if s.key in settled]
    current = with_sessions(schedule, kept)
    planned: dict[object, PlannedMove] = {}
    for session in (s for s in sessions if s.key not in settled):
        state, start = state_of(
            schedule=current, wall=session.wall, duration=duration, policy=policy, now=now, tz=tz
        )
        planned[session.key] = PlannedMove(session.key, session.wall, start, state)
        if state is SessionState.FREE:
            current = with_sessions(current, [Interval(start, start + duration + policy.buffer)])
    return planned


def plan_move(
    *,
    schedule: Schedule,
    sessions: Sequence[SessionMove],
    staying: Iterable[object] = (),
    duration: timedelta,
    policy: Policy,
    now: datetime,
    tz: tzinfo,
) -> list[PlannedMove]:
    """Whether each of ``sessions`` can move to its new wall time, checked like a booking.

    ``schedule`` holds none of the sessions; the ones that stay (``staying``, and any that
    cannot move) keep their time, and the ones that move hold their new time, so two
    sessions never land on each other nor on one left where it was.
    """
    staying = set(staying)
    refused: dict[object, PlannedMove] = {}
    while True:
        planned = _plan_round(
            schedule=schedule,
            sessions=sessions,
            settled=staying | set(refused),
            duration=duration,
            policy=policy,
            now=now,
            tz=tz,
        )
        newly = {key: move for key, move in planned.items() if not move.can_move}
        if not newly:
            break
        # A session that cannot move stays where it is: the others are checked again
        # against its time, until no more are refused.
        refused.update(newly)
    every = refused | planned  # disjoint: a round plans only the sessions not settled
    return [every[s.key] for s in sessions if s.key in every]
