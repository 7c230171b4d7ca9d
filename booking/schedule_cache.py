"""What free times are computed from, kept in the cache until the schedule changes.

The slot page works out free times from the practitioners offering the service, their
working hours, time off, the appointments holding time and the booking policy: five
queries each time, twice a view (the first week with a free time, then the week shown),
most of the page's queries. Those inputs
are kept here under a schedule version that every change to any of them renews, at once
and again on commit (``practice.cache_version``), so a slot taken a moment ago is never
offered from the cache. The arithmetic itself still runs on every view, with the current
time: what is free depends on ``now`` (the minimum notice).

Only for showing free times. Booking and moving check the chosen time again against the
database inside their transaction (``services``), never against this cache, so even an
entry made stale behind the ORM's back (raw SQL, ``QuerySet.update()`` of times in a
shell) can only offer a time the booking then refuses; entries expire after ten minutes
to bound that too. Writes in the code go through ``save()`` and ``delete()``, which send
the signals below; the ``update()`` calls in ``booking/tasks.py`` only mark reminders sent,
which no slot depends on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from practice.cache_version import CacheVersion

from .models import Appointment, BookingPolicy, Practitioner, Service, TimeOff, WorkingHours

ENTRY_SECONDS = 10 * 60

version = CacheVersion("booking:schedule-version")


def schedule_changed(**kwargs) -> None:
    """Forget every cached input; a receiver for every model the free times depend on."""
    version.change()


def remember[T](name: str, load: Callable[[], T]) -> T:
    """``load()``'s result, from the cache while the schedule is unchanged. Never ``None``."""
    current = version.current()
    if current is None:
        return load()
    key = f"booking:schedule:{current}:{name}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, ENTRY_SECONDS)
    return value


def connect() -> None:
    for model in (Appointment, TimeOff, WorkingHours, Practitioner, Service, BookingPolicy):
        label = model._meta.label_lower
        post_save.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-{label}")
        post_delete.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-del-{label}")
    m2m_changed.connect(
        schedule_changed,
        sender=Service.practitioners.through,
        dispatch_uid="schedule-service-practitioners",
    )
