"""Wagtail's scheduled publishing, run by the task worker every minute: pages whose "go live"
time has come are published and those whose "expiry" has come are unpublished, each through
Wagtail's own ``publish_scheduled`` (the same signals as a publish in the admin, so the page
cache forgets what they change)."""

import datetime as dt

from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from practice.periodic import ensure_one_waiting

EVERY = dt.timedelta(minutes=1)


@task
def publish_scheduled_pages():
    """Publishes what is due, then queues its own next run (queued even if this one fails)."""
    try:
        call_command("publish_scheduled", verbosity=0)
    finally:
        ensure_publishing_scheduled()


def ensure_publishing_scheduled(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Exactly one run waiting, a minute from ``now`` when none is."""
    return ensure_one_waiting(publish_scheduled_pages, (now or timezone.now()) + EVERY)
