"""What the booking service (services.py) takes and what it raises: plain values, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import slots


class BookingError(Exception):
    """A booking that cannot be made, with a message the patient can read."""


class SlotTaken(BookingError):
    def __init__(self, alternatives: list[slots.Slot] | None = None):
        super().__init__("Someone has just booked that time.")
        self.alternatives = alternatives or []


class TooLateToChange(BookingError):
    pass


class BusyInOwnCalendar(BookingError):
    """A staff booking or move at a time free but for the practitioner's own calendar,
    which marks it busy; staff may go ahead (``over_busy=True``) once they know."""

    def __init__(self, practitioner_name: str):
        super().__init__(
            f"{practitioner_name}'s own calendar shows them busy at that time. Check with "
            "them, then tick the box below to book it anyway."
        )
        self.practitioner_name = practitioner_name


class RuledOut(BookingError):
    """A staff booking the patient's latest answers rule out; a practitioner may override it
    with a written reason."""


@dataclass(frozen=True)
class PatientDetails:
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: dt.date


@dataclass(frozen=True)
class IntakeAnswers:
    kind: str
    pain_score: int
    answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleOverride:
    """A practitioner's decision to book what the patient's latest answers rule out."""

    user: object
    reason: str
    # The tier of a warning sign the caller gave to the phone script ("emergency" or
    # "doctor"), when the practitioner books despite it; empty otherwise.
    warning: str = ""
