"""The waiting list's background work, run by the task worker: a freed time offered after
the grace period, and the sweep that releases holds that ran out. The emails are sent by
``email_tasks``, which the services queue (this module calls the services, so they do not
import it)."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task
from django.utils import timezone

from .. import tasks as booking_tasks
from . import services

logger = logging.getLogger(__name__)

# How often the sweep runs: a hold ends at most this long after its time.
SWEEP_EVERY = dt.timedelta(minutes=1)


@task
def offer_freed_time(*, practitioner_id: int, start: str, end: str):
    """Offers what is still free in the freed range to the waiting list."""
    offers = services.time_freed(
        practitioner_id=practitioner_id,
        start=dt.datetime.fromisoformat(start),
        end=dt.datetime.fromisoformat(end),
    )
    return len(offers)


@task
def release_expired_holds():
    """The sweep, then its own next run (queued even if this one fails)."""
    try:
        released = services.holds_release_expired()
    finally:
        ensure_sweep_scheduled()
    if released:
        logger.info("Waiting list: %s hold(s) ran out and were released", released)
    return released


def ensure_sweep_scheduled(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Exactly one sweep waiting in the queue (``tasks.ensure_purge_scheduled`` explains)."""
    return booking_tasks.ensure_one_waiting(
        release_expired_holds, (now or timezone.now()) + SWEEP_EVERY
    )
