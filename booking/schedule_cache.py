"""What free times are computed from, kept in the cache until the schedule changes. Only for
showing free times: booking checks the database. Why and how: docs/architecture.md, "The
schedule cache".
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
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
    # The profile gives a practitioner the name the slot page shows (catalogue_get_cached).
    profile = apps.get_model("practice", "PractitionerProfile")
    models = (Appointment, TimeOff, WorkingHours, Practitioner, Service, BookingPolicy, profile)
    for model in models:
        label = model._meta.label_lower
        post_save.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-{label}")
        post_delete.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-del-{label}")
    m2m_changed.connect(
        schedule_changed,
        sender=Service.practitioners.through,
        dispatch_uid="schedule-service-practitioners",
    )
