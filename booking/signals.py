"""What the booking core tells whoever listens, once its transaction has committed: a time
was freed, an appointment was booked. The core imports no listener. The waiting list
(``waitlist/hooks.py``) connects to both when the app is ready; a failed listener cannot
undo a booking that has already committed.

Receivers get keyword arguments:

- ``time_freed``: ``practitioner_id``, ``start``, ``end`` (aware; what was held, buffer
  included) and ``grace``: False when nobody will correct the change (a released hold),
  so listeners need not wait for a correction before they act.
- ``appointment_booked``: ``appointment``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.dispatch import Signal

from .models import Appointment

time_freed = Signal()
appointment_booked = Signal()


def time_freed_on_commit(
    *, practitioner_id: int, start: dt.datetime, end: dt.datetime, grace: bool = True
) -> None:
    """Sends ``time_freed`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: time_freed.send(
            sender=Appointment, practitioner_id=practitioner_id, start=start, end=end, grace=grace
        )
    )


def appointment_booked_on_commit(appointment: Appointment) -> None:
    """Sends ``appointment_booked`` once the current transaction commits."""
    transaction.on_commit(
        lambda: appointment_booked.send(sender=Appointment, appointment=appointment)
    )
