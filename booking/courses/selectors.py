"""Reads for courses: the preview of a course's dates, a course's sessions, and its intake."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone

from .. import selectors
from ..models import Appointment, AppointmentStatus, Intake, Service
from ..slots import Interval
from ..wallclock import to_utc_or_later
from .plan import (
    PlannedMove,
    PlannedSession,
    SessionMove,
    course_walls,
    moved_walls,
    plan_course,
    plan_move,
    without_sessions,
)


class Scope(StrEnum):
    """Which sessions of a course a change applies to, from the one it is asked from."""

    THIS = "this"
    FOLLOWING = "following"
    COURSE = "course"


SCOPE_LABELS = {
    Scope.THIS: "This session",
    Scope.FOLLOWING: "This and the following sessions",
    Scope.COURSE: "The whole course",
}


def course_service_for(appointment: Appointment) -> Service:
    """The service of the sessions booked after ``appointment``: its course's, if it has
    one; after a first visit, the follow-up (the first active service for returning
    patients that its practitioner gives, without electrical stimulation); else its own."""
    if appointment.course_id is not None:
        return appointment.course.service
    service = appointment.service
    if not service.for_new_patients:
        return service
    follow_up = (
        Service.objects.active()
        .filter(
            for_new_patients=False,
            uses_electrical_stimulation=False,
            practitioners=appointment.practitioner_id,
        )
        .order_by("sort_order", "name")
        .first()
    )
    return follow_up or service


def course_preview(
    *,
    appointment: Appointment,
    every_weeks: int,
    count: int,
    now: dt.datetime,
    by_staff: bool = False,
) -> list[PlannedSession]:
    """The next ``count`` dates after ``appointment``, every ``every_weeks`` weeks at its
    local time, each checked against the practitioner's hours, time off, closures, bookings,
    the notice (waived for staff) and the horizon. Five queries, whatever ``count``."""
    tz = timezone.get_default_timezone()
    walls = course_walls(
        after=appointment.starts_at, tz=tz, every_weeks=every_weeks, count=count, not_before=now
    )
    policy = selectors.booking_policy_get()
    [schedule] = selectors.schedule_list_for(
        practitioners=[appointment.practitioner],
        start=max(appointment.starts_at, now) - dt.timedelta(days=2),
        end=to_utc_or_later(walls[-1], tz) + dt.timedelta(days=3),
    )
    return plan_course(
        schedule=schedule,
        after=appointment.starts_at,
        every_weeks=every_weeks,
        count=count,
        duration=dt.timedelta(minutes=course_service_for(appointment).duration_minutes),
        policy=selectors.slot_policy_build(policy, ignore_notice=by_staff),
        now=now,
        tz=tz,
    )


def course_session_list(*, appointment: Appointment) -> list[Appointment]:
    """Every session of ``appointment``'s course, cancelled ones too, in time order; just
    the appointment itself when it is not part of a course. One query."""
    if appointment.course_id is None:
        return [appointment]
    return list(
        Appointment.objects.filter(course_id=appointment.course_id)
        .select_related("service", "practitioner__profile")
        .order_by("starts_at", "pk")
    )


def course_session_list_in_scope(
    *, appointment: Appointment, scope: Scope, now: dt.datetime
) -> list[Appointment]:
    """The confirmed sessions a change "for ``scope``" asked from ``appointment`` applies to:
    that one, it and the later ones, or all of the course still to come."""
    if scope is Scope.THIS or appointment.course_id is None:
        sessions = [appointment]
    else:
        sessions = _course_sessions_in_scope(appointment=appointment, scope=scope, now=now)
    return [s for s in sessions if s.status == AppointmentStatus.CONFIRMED]


def _course_sessions_in_scope(
    *, appointment: Appointment, scope: Scope, now: dt.datetime
) -> list[Appointment]:
    """The sessions of ``appointment``'s course that ``scope`` reaches, whatever their
    status: it and the later ones, or all still to come (and it, even if already begun)."""
    sessions = course_session_list(appointment=appointment)
    if scope is Scope.FOLLOWING:
        return [s for s in sessions if s.starts_at >= appointment.starts_at]
    return [s for s in sessions if s.starts_at > now or s.pk == appointment.pk]


def course_intake_get(*, appointment: Appointment) -> Intake | None:
    """The answers that screen ``appointment``: its own, or for a session booked with a
    course, those given once for the course (its earliest session with answers)."""
    own = Intake.objects.filter(appointment=appointment).first()
    if own is not None or appointment.course_id is None:
        return own
    return (
        Intake.objects.filter(appointment__course_id=appointment.course_id)
        .select_related("appointment")
        .order_by("appointment__starts_at")
        .first()
    )


def course_move_plan(
    *,
    sessions: list[Appointment],
    moved: Appointment,
    start: dt.datetime,
    now: dt.datetime,
    staying: set = frozenset(),
    by_staff: bool = False,
) -> list[PlannedMove]:
    """Where each of ``sessions`` (one course, in time order) goes when ``moved`` goes to
    ``start``: the same number of days on, at the new local time of day, each checked like a
    booking against the practitioner's hours, time off, closures, other bookings, the notice
    (waived for staff) and the horizon. The keys are the sessions' public ids; the sessions
    in ``staying`` keep their time. Five queries."""
    tz = timezone.get_default_timezone()
    walls = moved_walls(
        starts=[s.starts_at for s in sessions], moved=moved.starts_at, to=start, tz=tz
    )
    policy = selectors.booking_policy_get()
    held = [Interval(s.starts_at, s.blocked_until) for s in sessions]
    firsts = [to_utc_or_later(walls[0], tz), sessions[0].starts_at]
    lasts = [to_utc_or_later(walls[-1], tz), sessions[-1].blocked_until]
    [schedule] = selectors.schedule_list_for(
        practitioners=[moved.practitioner],
        start=min(firsts) - dt.timedelta(days=2),
        end=max(lasts) + dt.timedelta(days=2),
    )
    return plan_move(
        schedule=without_sessions(schedule, held),
        sessions=[
            SessionMove(s.public_id, s.starts_at, s.blocked_until, wall)
            for s, wall in zip(sessions, walls, strict=True)
        ],
        staying=staying,
        duration=dt.timedelta(minutes=moved.service.duration_minutes),
        policy=selectors.slot_policy_build(policy, ignore_notice=by_staff),
        now=now,
        tz=tz,
    )
