"""The pieces of moving a course (``services.course_move``): what a move reports, and one
session moved in its own savepoint. Apart from services.py so that each reads in one go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .. import signals
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
    """One session to its new time in its own savepoint (``Appointment.move_to``: its
    calendar UID stays), the time it leaves told free on commit; False when the database
    refuses the new time."""
    was, held = session.starts_at, session.blocked_until - session.starts_at
    try:
        with transaction.atomic():
            session.move_to(start)
    except IntegrityError:
        # The exclusion constraint: another booking won this time a moment ago.
        return False
    signals.time_freed_on_commit(practitioner_id=session.practitioner_id, start=was, end=was + held)
    return True
