"""What the booking services tell the waiting list: a time was freed, a patient booked.
It loads only the models, so that ``booking.services`` can call it without an import
circle (the waiting list's own services call ``booking.services``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import default_task_backend
from django.utils import timezone

from ..models import Appointment, WaitlistEntry, WaitlistStatus


def time_freed_later(
    *, practitioner_id: int, start: dt.datetime, end: dt.datetime, grace: bool = True
) -> None:
    """Queues the offer of what is free with the practitioner in [start, end): after
    ``WAITLIST_GRACE_MINUTES`` (a staff correction meanwhile means nothing is sent), or at
    once for a time released by the waiting list itself. Call it on commit. Where the task
    backend cannot wait (the tests'), it runs at once."""
    from . import tasks

    kwargs = {
        "practitioner_id": practitioner_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    minutes = settings.WAITLIST_GRACE_MINUTES if grace else 0
    if minutes and default_task_backend.supports_defer:
        run_after = timezone.now() + dt.timedelta(minutes=minutes)
        tasks.offer_freed_time.using(run_after=run_after).enqueue(**kwargs)
    else:
        tasks.offer_freed_time.enqueue(**kwargs)


def entries_close_for_booking(*, appointment: Appointment) -> int:
    """A patient who books the service themselves no longer waits for it: their waiting
    entries for it close (an entry that asked to move a booking stays)."""
    return WaitlistEntry.objects.filter(
        patient_id=appointment.patient_id,
        service_id=appointment.service_id,
        status=WaitlistStatus.WAITING,
        move_appointment__isnull=True,
    ).update(status=WaitlistStatus.BOOKED, closed_at=timezone.now())
