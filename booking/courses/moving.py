"""The pieces of moving a course (``services.course_move``): what a move reports, and one
session moved in its own savepoint. Apart from services.py so that each reads in one go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from ..models import Appointment
from .plan import PlannedMove


@dataclass(frozen=True)
class MoveRow:
    """One session of a move: the session, where it goes and whether it can, and whether
    it did."""

    session: Appointment
    move: PlannedMove
    moved: bool = False


@dataclass
class MoveOutcome:
    """What a move did, a row a session asked for. When ``only`` was not given and some
    session could not move, none moved (``held_back``): the rows say which and why."""

    rows: list[MoveRow] = field(default_factory=list)
    held_back: bool = False

    @property
    def moved(self) -> list[Appointment]:
        return [row.session for row in self.rows if row.moved]

    @property
    def refused(self) -> list[MoveRow]:
        return [row for row in self.rows if not row.moved]


def session_move(session: Appointment, start: dt.datetime) -> bool:
    """One session to its new time in its own savepoint, with its sequence raised (its
    calendar UID stays); False when the database refuses that time."""
    duration = session.ends_at - session.starts_at
    buffer = session.blocked_until - session.ends_at
    before = (session.starts_at, session.ends_at, session.blocked_until, session.sequence)
    session.starts_at, session.ends_at = start, start + duration
    session.blocked_until = start + duration + buffer
    session.sequence += 1
    session.reminder_sent_at = None
    try:
        with transaction.atomic():
            session.save(
                update_fields=[
                    "starts_at",
                    "ends_at",
                    "blocked_until",
                    "sequence",
                    "reminder_sent_at",
                    "updated_at",
                ]
            )
    except IntegrityError:
        # The exclusion constraint: another booking won this time a moment ago.
        session.starts_at, session.ends_at, session.blocked_until, session.sequence = before
        return False
    return True
