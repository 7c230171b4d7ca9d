"""Time off over booked appointments: staff keep, cancel or move each one, all in one go.

The write beside ``services``: it runs the booking service's own cancel and reschedule (as
staff, so the cancellation window and the notice do not bind) inside one transaction, so
either every decision holds or none does; the patients' emails go out once it commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from practice.local_time import moment

from . import selectors, services
from .contracts import BookingError, SlotTaken
from .models import Appointment, TimeOff

SETTLE_ACTION = "booking.time_off_settle"

KEEP, CANCEL, MOVE = "keep", "cancel", "move"


@dataclass(frozen=True)
class Decision:
    """What happens to one appointment the time off covers; ``start`` (aware) for a move."""

    appointment_id: int
    action: str
    start: dt.datetime | None = None


@dataclass(frozen=True)
class Settlement:
    """The appointments kept, cancelled and moved (ids), and those whose patient has no
    email and must be told by phone."""

    kept: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    to_phone: list[int] = field(default_factory=list)


def _apply(decision: Decision, appointment: Appointment, time_off: TimeOff, now) -> None:
    if decision.action == CANCEL:
        services.appointment_cancel(
            appointment=appointment,
            now=now,
            by_staff=True,
            reason=f"Time off: {time_off.reason}" if time_off.reason else "Time off",
        )
    elif decision.action == MOVE:
        if decision.start is None:
            raise BookingError(f"Choose a new time for the appointment on {appointment.when}.")
        try:
            services.appointment_reschedule(
                appointment=appointment, start=decision.start, now=now, by_staff=True
            )
        except SlotTaken:
            raise BookingError(
                f"The appointment on {appointment.when} cannot move to "
                f"{moment(decision.start, 'D M j')}: that time is no longer free."
            ) from None
    elif decision.action != KEEP:
        raise BookingError(f"Unknown choice for the appointment on {appointment.when}.")


def time_off_settle(
    *,
    time_off: TimeOff,
    decisions: list[Decision],
    by,
    now: dt.datetime | None = None,
) -> Settlement:
    """Keeps, cancels or moves the appointments ``time_off`` covers, as ``decisions`` say.

    One transaction: a move whose time has gone, or an appointment that changed since the
    screen was shown, raises ``BookingError`` and leaves every appointment as it was. Each
    change is logged on its appointment, the whole on the time off (ids and counts, never
    who the patients are); ``by`` is the staff user.
    """
    now = now or timezone.now()
    settlement = Settlement()
    outcome = {KEEP: settlement.kept, CANCEL: settlement.cancelled, MOVE: settlement.moved}
    with transaction.atomic():
        covered = {a.pk: a for a in selectors.appointment_list_covered_by(time_off=time_off)}
        for decision in decisions:
            appointment = covered.get(decision.appointment_id)
            if appointment is None:
                raise BookingError(
                    "An appointment on this page was changed meanwhile, or the time off no "
                    "longer covers it: look at the list again."
                )
            _apply(decision, appointment, time_off, now)
            outcome[decision.action].append(appointment.pk)
            if decision.action != KEEP:
                if not appointment.patient.has_email:
                    settlement.to_phone.append(appointment.pk)
                log(
                    instance=appointment,
                    action=SETTLE_ACTION,
                    user=by,
                    data={"time_off": time_off.pk, "decision": decision.action},
                )
        log(
            instance=time_off,
            action=SETTLE_ACTION,
            user=by,
            data={
                "kept": settlement.kept,
                "cancelled": settlement.cancelled,
                "moved": settlement.moved,
            },
        )
    return settlement
