"""Writes for a practitioner's own calendars: adding and removing a source, and refreshing
the busy times read from it (the task worker's job, every few minutes).

A refresh that fails keeps the busy times the last good one left, and records when it
last worked and why it failed; after ``CALENDAR_FAILURES_BEFORE_EMAIL`` failures in a row
the practitioner is told, once, until it works again. Logs name sources by id, never by
address, and failures by what went wrong, in the words ``fetch`` chose.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import BookingPolicy, BusyTime, CalendarSource, CalendarSourceKind, Practitioner
from . import busy, fetch

logger = logging.getLogger(__name__)

# Busy times are read this far past the booking horizon, so that a feed that has not
# changed (HTTP 304) still covers every bookable day for a week before it is read whole.
MARGIN = dt.timedelta(days=8)


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    changed: bool = False
    tell_practitioner: bool = False  # failing long enough, and not told yet


def calendar_source_create(
    *,
    practitioner: Practitioner,
    kind: str,
    address: str,
    label: str = "",
    username: str = "",
    password: str = "",
    calendar_name: str = "",
    own_email: str = "",
    include_all_day: bool = False,
    unanswered_busy: bool = False,
) -> CalendarSource:
    """A new source; its busy times arrive with its first refresh (the caller queues it)."""
    address = address.strip()
    return CalendarSource.objects.create(
        practitioner=practitioner,
        kind=kind,
        address=address,
        address_hint=fetch.address_hint(address),
        label=label.strip(),
        username=username.strip() if kind == CalendarSourceKind.CALDAV else "",
        password=password if kind == CalendarSourceKind.CALDAV else None,
        calendar_name=calendar_name.strip(),
        own_email=own_email.strip(),
        include_all_day=include_all_day,
        unanswered_busy=unanswered_busy,
    )


def calendar_source_delete(*, source: CalendarSource) -> None:
    """Removes the source and its busy times: the times it blocked are free again."""
    source.delete()


def _window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    horizon = dt.timedelta(days=BookingPolicy.load().horizon_days)
    return now - dt.timedelta(days=1), now + horizon + MARGIN


def _rules(source: CalendarSource) -> busy.Rules:
    own = {source.own_email}
    if source.practitioner.user_id and source.practitioner.user.email:
        own.add(source.practitioner.user.email)
    if "@" in source.username:
        own.add(source.username)
    return busy.Rules(
        zone=timezone.get_default_timezone(),
        practice_host=(urlsplit(settings.SITE_URL).hostname or "localhost"),
        own_addresses=frozenset(a.strip().lower() for a in own if a and a.strip()),
        include_all_day=source.include_all_day,
        unanswered_busy=source.unanswered_busy,
    )


def _fetch(source: CalendarSource, *, start: dt.datetime, end: dt.datetime) -> fetch.Fetched:
    timeout = settings.CALENDAR_TIMEOUT_SECONDS
    if source.kind == CalendarSourceKind.CALDAV:
        return fetch.caldav_fetch(
            source.address,
            username=source.username,
            password=source.password or "",
            calendar_name=source.calendar_name,
            start=start,
            end=end,
            timeout=timeout,
        )
    # Conditional only while the spans read last time still reach past the horizon.
    conditional = source.covered_until is not None and source.covered_until >= end - MARGIN / 2
    return fetch.ics_fetch(
        source.address,
        etag=source.etag if conditional else "",
        last_modified=source.last_modified if conditional else "",
        timeout=timeout,
    )


def calendar_source_sync(*, source: CalendarSource, now: dt.datetime | None = None) -> SyncResult:
    """Reads the source again and replaces its busy times; on failure keeps them."""
    now = now or timezone.now()
    start, end = _window(now)
    source.last_attempt_at = now
    try:
        fetched = _fetch(source, start=start, end=end)
        spans = (
            None
            if fetched.calendars is None
            else busy.busy_spans(fetched.calendars, start=start, end=end, rules=_rules(source))
        )
    except fetch.SourceError as error:
        return _failed(source, str(error), now=now)
    except Exception as error:  # a calendar the expander cannot read: never the whole task
        logger.warning("Calendar source %s: unreadable (%s)", source.pk, type(error).__name__)
        return _failed(source, "The calendar could not be read.", now=now)

    changed = spans is not None and _replace_spans(source, spans)
    if fetched.calendars is not None:
        source.etag, source.last_modified = fetched.etag, fetched.last_modified
        source.covered_until = end
    source.last_synced_at, source.last_error = now, ""
    source.failures, source.failure_notified_at = 0, None
    source.save()
    logger.info("Calendar source %s synced (%s)", source.pk, "changed" if changed else "same")
    return SyncResult(ok=True, changed=changed)


def _replace_spans(source: CalendarSource, spans: list[busy.Span]) -> bool:
    """Whether anything changed; the cached free times are forgotten only then."""
    held = set(source.busy_times.values_list("starts_at", "ends_at"))
    if held == set(spans):
        return False
    with transaction.atomic():
        source.busy_times.all().delete()
        BusyTime.objects.bulk_create(
            BusyTime(source=source, practitioner_id=source.practitioner_id, starts_at=s, ends_at=e)
            for s, e in spans
        )
    return True


def _failed(source: CalendarSource, message: str, *, now: dt.datetime) -> SyncResult:
    source.failures += 1
    source.last_error = message[:300]
    tell = (
        source.failures >= settings.CALENDAR_FAILURES_BEFORE_EMAIL
        and source.failure_notified_at is None
    )
    if tell:
        source.failure_notified_at = now
    source.save()
    logger.warning(
        "Calendar source %s failed (%s in a row): %s", source.pk, source.failures, message
    )
    return SyncResult(ok=False, tell_practitioner=tell)
