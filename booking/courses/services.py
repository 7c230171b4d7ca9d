"""Writes for courses: book the sessions chosen on the preview, move or cancel some of them.

A course is booked in one transaction with a savepoint per session. Each session is checked
again against the schedule read inside that transaction (with the course's sessions booked
so far in it), and the insert is the final check, as for a single booking: SQLite's
``BEGIN IMMEDIATE``, or PostgreSQL's exclusion constraint, whose refusal rolls back that
session's savepoint only. A session refused so comes back as "taken" with the times free
around it now; every other session stands, whole, with its own emails, calendar file,
reminder and manage link (``notifications.appointment_booked``, on commit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import intake, notifications, selectors, services
from ..caps import online_cap_check
from ..contracts import BookingError
from ..models import Appointment, AppointmentStatus, Course, Service
from ..slots import Interval, Schedule
from .moving import MoveOutcome, MoveRow, session_move
from .plan import (
    INTERVALS,
    PlannedMove,
    PlannedSession,
    SessionState,
    nearby_free,
    state_of,
    with_sessions,
)
from .selectors import (
    Scope,
    course_intake_get,
    course_move_plan,
    course_service_for,
    course_session_list_in_scope,
)


@dataclass(frozen=True)
class SessionChoice:
    """What was picked on one row of the preview: its number and a start, or None (skip)."""

    number: int
    start: dt.datetime | None


@dataclass
class CourseOutcome:
    """What a confirm did: the sessions booked, and the rows found taken since the preview
    (with their state now, and the times free around them now)."""

    course: Course
    booked: list[Appointment] = field(default_factory=list)
    taken: list[PlannedSession] = field(default_factory=list)
    repeated: bool = False


def _session_key(request_key: uuid.UUID | None, number: int) -> uuid.UUID | None:
    # One key a session, from the form's key: a confirm sent twice books nothing twice.
    return uuid.uuid5(request_key, f"session-{number}") if request_key else None


def _screening(anchor: Appointment, starts: Sequence[dt.datetime]) -> tuple[list, bool]:
    """The flags of each session and whether they are screened. The answers are those given
    once for the course; the rules apply to every session at the patient's age on its day.
    Raises ``BookingError`` when they rule the service out on any of them."""
    answered = course_intake_get(appointment=anchor)
    service, born = course_service_for(anchor), anchor.patient.date_of_birth
    tz = timezone.get_default_timezone()
    if answered is None:
        # Booked by phone and not answered yet: the patient's latest flags, as for one visit.
        flags = selectors.patient_latest_flags(patient=anchor.patient)
        if service.uses_electrical_stimulation and intake.flags_rule_out_electrical_stimulation(
            flags
        ):
            raise BookingError(str(intake.Refusal.NO_ELECTRICAL))
        return [list(flags) for _ in starts], False
    per_session = []
    for start in starts:
        age = intake.age_on(born, start.astimezone(tz).date())
        if refusal := intake.refusal_for(service, answered.answers, age=age):
            raise BookingError(str(refusal))
        per_session.append(intake.screening_flags(answered.answers, age))
    return per_session, True


def _check_request(every_weeks: int, planned: int, choices: Sequence[SessionChoice]) -> None:
    most = settings.COURSE_MAX_SESSIONS
    if every_weeks not in INTERVALS:
        raise BookingError("A course repeats every 1, 2, 3 or 4 weeks.")
    if not 0 <= planned <= most or len(choices) > most:
        raise BookingError(f"A course can add up to {most} sessions at a time.")
    if len({choice.number for choice in choices}) != len(choices):
        raise BookingError("Each date of the course can be chosen once.")


def course_book(
    *,
    appointment: Appointment,
    every_weeks: int,
    planned: int,
    choices: Sequence[SessionChoice],
    now: dt.datetime | None = None,
    by_staff: bool = False,
    user=None,
    idempotency_key: uuid.UUID | None = None,
) -> CourseOutcome:
    """Books the chosen dates as sessions of ``appointment``'s course (made now if it has
    none), with its service and practitioner; ``planned`` rows are added to the course's
    plan (the rows of a preview; 0 when taking up again the rows left over from one).

    Raises ``BookingError`` for a request out of bounds, an appointment no longer active, or
    answers that rule the service out on any date (then nothing is booked).
    """
    now = now or timezone.now()
    _check_request(every_weeks, planned, choices)
    chosen = sorted((c for c in choices if c.start is not None), key=lambda c: c.start)
    flags, screened = _screening(appointment, [c.start for c in chosen])
    with transaction.atomic():
        anchor = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("service", "practitioner", "patient", "course")
            .get(pk=appointment.pk)
        )
        if not selectors.appointment_can_start_course(anchor, now=now):
            raise BookingError("This appointment is no longer active.")
        patient = anchor.patient
        online_cap_check(
            patient.email, patient.phone, adding=len(chosen), now=now, by_staff=by_staff
        )
        keys = [_session_key(idempotency_key, c.number) for c in chosen]
        if done := _booked_before(anchor, idempotency_key, keys):
            return CourseOutcome(course=anchor.course, booked=done, repeated=True)
        service = course_service_for(anchor)
        course = _course_of(
            anchor,
            appointment,
            service=service,
            every_weeks=every_weeks,
            user=user,
            by_staff=by_staff,
        )
        outcome = CourseOutcome(course=course)
        _book_each(
            outcome,
            anchor=anchor,
            service=service,
            chosen=list(zip(chosen, keys, flags, strict=True)),
            screened=screened,
            by_staff=by_staff,
            now=now,
        )
        if course.sessions_booked + len(outcome.booked) > course.sessions_planned + planned:
            raise BookingError("More sessions were chosen than the course has dates for.")
        course.sessions_planned += planned
        course.sessions_booked += len(outcome.booked)
        course.save(update_fields=["sessions_planned", "sessions_booked"])
    return outcome


def _booked_before(
    anchor: Appointment, idempotency_key: uuid.UUID | None, keys: list[uuid.UUID | None]
) -> list[Appointment]:
    """The sessions an earlier send of this same confirm booked (none if it is the first)."""
    if idempotency_key and anchor.course_id:
        return list(Appointment.objects.filter(idempotency_key__in=keys))
    return []


def _course_of(
    anchor: Appointment,
    appointment: Appointment,
    *,
    service: Service,
    every_weeks: int,
    user,
    by_staff: bool,
) -> Course:
    """The anchor's course, made now (and the anchor put in it) if it has none."""
    course = anchor.course or Course.objects.create(
        patient=anchor.patient,
        service=service,
        practitioner=anchor.practitioner,
        every_weeks=every_weeks,
        created_by=user if by_staff else None,
    )
    if anchor.course_id is None:
        anchor.course = course
        anchor.save(update_fields=["course", "updated_at"])
        appointment.course = course  # the caller's copy too
    return course


def _book_each(outcome: CourseOutcome, *, anchor, service, chosen, screened, by_staff, now) -> None:
    """Each chosen session checked against the schedule read now, with the sessions booked
    a moment ago in it, then inserted in its own savepoint."""
    if not chosen:
        return
    policy = selectors.booking_policy_get()
    slot_policy = selectors.slot_policy_build(policy, ignore_notice=by_staff)
    tz = timezone.get_default_timezone()
    duration = dt.timedelta(minutes=service.duration_minutes)

    def read() -> Schedule:
        [schedule] = selectors.schedule_list_for(
            practitioners=[anchor.practitioner],
            start=chosen[0][0].start - dt.timedelta(days=2),
            end=chosen[-1][0].start + dt.timedelta(days=3),
        )
        return schedule

    schedule = read()
    for choice, key, flags in chosen:
        wall = choice.start.astimezone(tz).replace(tzinfo=None)
        held = [Interval(a.starts_at, a.blocked_until) for a in outcome.booked]
        current = with_sessions(schedule, held)
        state, _ = state_of(
            schedule=current, wall=wall, duration=duration, policy=slot_policy, now=now, tz=tz
        )
        booked = None
        if state is SessionState.FREE:
            booked = _session_create(
                anchor=anchor,
                service=service,
                start=choice.start,
                duration=duration,
                buffer=policy.buffer,
                flags=flags,
                screened=screened,
                by_staff=by_staff,
                key=key,
            )
        if booked is None:
            # Taken since the preview (or off the schedule now): say so, with what is free
            # around it now.
            if state is SessionState.FREE:
                # The database refused it: someone committed that time a moment ago, so
                # read the schedule again for the nearby times and the sessions after it.
                state = SessionState.TAKEN
                schedule = read()
                current = with_sessions(schedule, held)
            nearby = nearby_free(
                schedule=current, wall=wall, duration=duration, policy=slot_policy, now=now, tz=tz
            )
            outcome.taken.append(
                PlannedSession(choice.number, wall, choice.start, state, tuple(nearby))
            )
            continue
        outcome.booked.append(booked)
    if outcome.booked:
        transaction.on_commit(partial(notifications.course_sessions_booked, list(outcome.booked)))


def _session_create(
    *, anchor, service, start, duration, buffer, flags, screened, by_staff, key
) -> Appointment | None:
    """One session in its own savepoint; None when the database refuses its time."""
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                patient=anchor.patient,
                practitioner=anchor.practitioner,
                service=service,
                course=anchor.course,
                starts_at=start,
                ends_at=start + duration,
                blocked_until=start + duration + buffer,
                flags=flags,
                screened=screened,
                is_first_visit=False,
                booked_by_staff=by_staff,
                idempotency_key=key,
            )
    except IntegrityError:
        # The exclusion constraint: another booking won this time a moment ago.
        return None


@dataclass
class CancelOutcome:
    cancelled: list[Appointment] = field(default_factory=list)
    too_late: list[Appointment] = field(default_factory=list)


def course_cancel(
    *,
    appointment: Appointment,
    scope: Scope,
    now: dt.datetime | None = None,
    by_staff: bool = False,
    reason: str = "",
) -> CancelOutcome:
    """Cancels the confirmed sessions of ``scope`` in one transaction, each through the
    booking service; the patient gets one email listing them, the practitioner a notice
    for each. A patient's session inside the cancellation window stays booked and is
    listed in ``too_late``."""
    now = now or timezone.now()
    outcome = CancelOutcome()
    with transaction.atomic():
        for session in course_session_list_in_scope(appointment=appointment, scope=scope, now=now):
            if not by_staff and not selectors.appointment_patient_can_change(session, now=now):
                outcome.too_late.append(session)
                continue
            outcome.cancelled.append(
                services.appointment_cancel(
                    appointment=session, now=now, by_staff=by_staff, reason=reason, notify=False
                )
            )
        if outcome.cancelled:  # each uncounted as it was cancelled (services.appointment_cancel)
            transaction.on_commit(
                partial(notifications.course_sessions_cancelled, outcome.cancelled)
            )
    if not outcome.cancelled and outcome.too_late:
        raise services.TooLateToChange("It is too late to cancel online.")
    return outcome


class _HoldBack(Exception):
    """Rolls the whole move back: a session could not move and all of them had to."""


def course_move(
    *,
    appointment: Appointment,
    scope: Scope,
    start: dt.datetime,
    now: dt.datetime | None = None,
    by_staff: bool = False,
    only: Collection[uuid.UUID] | None = None,
) -> MoveOutcome:
    """Moves ``appointment`` to ``start`` and the other sessions of ``scope`` by the same
    shift in local wall time (as many days on, at the new time of day), in one transaction
    with a savepoint per session, each checked like a booking and the database's overlap
    constraint the final word.

    With ``only`` None it is all or nothing: if any session cannot move, none does, and the
    rows say why. With ``only`` (public ids, what the patient agreed to on that page), just
    those move, and any found taken since stays where it was and is said so. A patient's
    session inside the cancellation window never moves (it is ``LOCKED``).
    """
    now = now or timezone.now()
    in_scope = course_session_list_in_scope(appointment=appointment, scope=scope, now=now)
    outcome = MoveOutcome()
    try:
        with transaction.atomic():
            sessions = list(
                Appointment.objects.select_for_update(of=("self",))
                .select_related("service", "practitioner")
                .filter(pk__in=[s.pk for s in in_scope], status=AppointmentStatus.CONFIRMED)
                .order_by("starts_at", "pk")
            )
            moved = next((s for s in sessions if s.pk == appointment.pk), None)
            if moved is None:
                raise BookingError("This appointment is no longer active.")
            _move_each(outcome, sessions, moved, start=start, now=now, by_staff=by_staff, only=only)
            if only is None and outcome.refused:
                raise _HoldBack
    except _HoldBack:
        _held_back(outcome)
    return outcome


def _held_back(outcome: MoveOutcome) -> None:
    """The outcome of a move rolled back: no row moved."""
    # Rolled back: the sessions are where they were, in the database and here.
    for row in outcome.rows:
        if row.moved:
            row.session.refresh_from_db()
    outcome.rows = [dataclasses.replace(row, moved=False) for row in outcome.rows]
    outcome.held_back = True


def _rows_of(sessions, planned, locked) -> dict[int, MoveRow]:
    """A row a session asked to move, by pk: where it goes, or ``LOCKED`` where it is. A
    session already at its new time (a confirm sent twice) has none: nothing to do."""
    by_key = {move.key: move for move in planned}
    tz = timezone.get_default_timezone()
    rows = {}
    for session in sessions:
        if session.public_id in locked:
            wall = session.starts_at.astimezone(tz).replace(tzinfo=None)
            rows[session.pk] = MoveRow(
                session, PlannedMove(session.public_id, wall, None, SessionState.LOCKED)
            )
        elif session.public_id in by_key and by_key[session.public_id].start != session.starts_at:
            rows[session.pk] = MoveRow(session, by_key[session.public_id])
    return rows


def _locked(sessions, *, now, by_staff) -> set[uuid.UUID]:
    """The sessions a patient may no longer change (inside the cancellation window): they
    stay where they are. Staff may move any."""
    if by_staff:
        return set()
    return {
        s.public_id for s in sessions if not selectors.appointment_patient_can_change(s, now=now)
    }


def _left_out(sessions, only: Collection[uuid.UUID] | None) -> set[uuid.UUID]:
    """The sessions the patient did not agree to move (``only`` None: every one moves)."""
    if only is None:
        return set()
    return {s.public_id for s in sessions if s.public_id not in only}


def _in_moving_order(rows, *, later: bool) -> list[MoveRow]:
    """The later ones first when moving later (the earlier first when moving earlier), so
    that none passes over another one's time on the way."""
    return sorted(rows, key=lambda row: row.session.starts_at, reverse=later)


def _moved_or_taken(row: MoveRow) -> MoveRow:
    """Moves the row's session in its own savepoint: the row marked moved, or its time
    marked taken when the database refused it (someone committed it a moment ago)."""
    if session_move(row.session, row.move.start):
        return dataclasses.replace(row, moved=True)
    return MoveRow(row.session, dataclasses.replace(row.move, state=SessionState.TAKEN))


def _move_each(outcome, sessions, moved, *, start, now, by_staff, only) -> None:
    """Plans every session's new time against the schedule read now, then moves those that
    can, each in its own savepoint, in an order where none passes over another."""
    locked = _locked(sessions, now=now, by_staff=by_staff)
    planned = course_move_plan(
        sessions=sessions,
        moved=moved,
        start=start,
        now=now,
        staying=locked | _left_out(sessions, only),
        by_staff=by_staff,
    )
    rows = _rows_of(sessions, planned, locked)
    if only is None and any(not row.move.can_move for row in rows.values()):
        outcome.rows = list(rows.values())
        return  # all or nothing, and not all can: nothing is written
    for row in _in_moving_order(rows.values(), later=start > moved.starts_at):
        if row.move.can_move:
            rows[row.session.pk] = _moved_or_taken(row)
    outcome.rows = [rows[s.pk] for s in sessions if s.pk in rows]
    if outcome.moved:
        transaction.on_commit(partial(notifications.course_sessions_moved, outcome.moved))
