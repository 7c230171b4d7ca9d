"""How the waiting list hears of the schedule: the booking core's ``time_freed`` and
``appointment_booked`` (``booking.signals``, sent on commit), and time off removed or
shortened and working hours extended (model signals). ``connect`` subscribes them all
when the app is ready (booking/apps.py); the core imports nothing from here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.tasks import default_task_backend
from django.utils import timezone

from .. import signals
from ..models import (
    Appointment,
    BookingPolicy,
    Practitioner,
    TimeOff,
    WaitlistEntry,
    WaitlistStatus,
    WorkingHours,
)
from . import tasks


def time_freed_later(
    *, practitioner_id: int, start: dt.datetime, end: dt.datetime, grace: bool = True
) -> None:
    """Queues the offer of what is free with the practitioner in [start, end): after
    ``WAITLIST_GRACE_MINUTES`` (a staff correction meanwhile means nothing is sent), or at
    once for a time released by the waiting list itself. Call it on commit. Where the task
    backend cannot wait (the tests'), it runs at once. With nobody waiting, nothing is
    queued."""
    if not WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).exists():
        return  # nobody waits: nothing to queue (most changes, on most days)
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


def _time_freed(sender, *, practitioner_id, start, end, grace=True, **kwargs) -> None:
    time_freed_later(practitioner_id=practitioner_id, start=start, end=end, grace=grace)


def _booked(sender, *, appointment: Appointment, **kwargs) -> None:
    """A patient who books the service themselves no longer waits for it: their waiting
    entries for it close (an entry that asked to move a booking stays)."""
    WaitlistEntry.objects.filter(
        patient_id=appointment.patient_id,
        service_id=appointment.service_id,
        status=WaitlistStatus.WAITING,
        move_appointment__isnull=True,
    ).update(status=WaitlistStatus.BOOKED, closed_at=timezone.now())


def _time_off_removed(sender, instance: TimeOff, **kwargs) -> None:
    """Time off deleted: what it covered (from now on) may be free again."""
    start, end = max(instance.starts_at, timezone.now()), instance.ends_at
    if end <= start:
        return
    ids = (
        [instance.practitioner_id]
        if instance.practitioner_id
        else list(Practitioner.objects.filter(is_active=True).values_list("pk", flat=True))
    )
    for pk in ids:
        transaction.on_commit(
            lambda pk=pk: time_freed_later(practitioner_id=pk, start=start, end=end)
        )


def _time_off_changing(sender, instance: TimeOff, raw: bool = False, **kwargs) -> None:
    """Before an edit, what the time off covered: a shorter one frees the rest."""
    if raw or instance.pk is None:
        return
    instance._covered_before = (
        TimeOff.objects.filter(pk=instance.pk).values_list("starts_at", "ends_at").first()
    )


def _time_off_changed(sender, instance: TimeOff, created: bool = False, **kwargs) -> None:
    before = getattr(instance, "_covered_before", None)
    if created or not before:
        return
    old = TimeOff(practitioner_id=instance.practitioner_id, starts_at=before[0], ends_at=before[1])
    _time_off_removed(sender, old)


def _hours_saved(sender, instance: WorkingHours, raw: bool = False, **kwargs) -> None:
    """Working hours added or extended: anything new in the weeks patients may book."""
    if raw:
        return
    now = timezone.now()
    horizon = BookingPolicy.load().horizon_days
    end = now + dt.timedelta(days=horizon)
    pk = instance.practitioner_id
    transaction.on_commit(lambda: time_freed_later(practitioner_id=pk, start=now, end=end))


def connect() -> None:
    """The waiting list listens: a time freed or booked by the core, time off removed or
    shortened, hours extended (booking/apps.py calls this). What is really free is read
    when the task runs."""
    signals.time_freed.connect(_time_freed, dispatch_uid="waitlist-time-freed")
    signals.appointment_booked.connect(_booked, dispatch_uid="waitlist-booked")
    post_delete.connect(_time_off_removed, sender=TimeOff, dispatch_uid="waitlist-time-off")
    pre_save.connect(_time_off_changing, sender=TimeOff, dispatch_uid="waitlist-time-off-old")
    post_save.connect(_time_off_changed, sender=TimeOff, dispatch_uid="waitlist-time-off-new")
    post_save.connect(_hours_saved, sender=WorkingHours, dispatch_uid="waitlist-hours")
