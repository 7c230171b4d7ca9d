"""Busy times out of calendar data: which events keep patients out, and when.

Pure, like ``slots``: calendars in, UTC intervals out, no database and no network.
Repeating events are expanded by ``recurring-ical-events`` (RRULE, RDATE, EXDATE, moved or
cancelled occurrences, each event's own VTIMEZONE). An event is busy unless it is
cancelled, marked free (TRANSP:TRANSPARENT, or Outlook's BUSYSTATUS:FREE), declined by the
practitioner, an invitation they have not answered (unless ``unanswered_busy``), an all-day
event (unless ``include_all_day``), or one of the practice's own appointments, which its
calendar feed and emails put there (reading those back would block every appointment by
itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar, Component

from ..intervals import merge_spans
from ..uids import PRODID_MARK, is_practice_uid

# Everything past this many busy spans per source is dropped: a calendar that big is a
# mistake (or a hostile feed), and the free-time arithmetic must stay cheap.
MAX_SPANS = 5000


@dataclass(frozen=True)
class Rules:
    """What counts as busy for one source."""

    zone: ZoneInfo  # for floating times and all-day dates: the practice's zone
    practice_host: str  # the host in the practice's own UIDs (``uids``)
    own_addresses: frozenset[str] = field(default_factory=frozenset)
    include_all_day: bool = False
    unanswered_busy: bool = False


Span = tuple[dt.datetime, dt.datetime]


def busy_spans(
    calendars: Iterable[Calendar], *, start: dt.datetime, end: dt.datetime, rules: Rules
) -> list[Span]:
    """The merged busy spans, aware UTC, that overlap [start, end), earliest first."""
    spans: list[Span] = []
    for calendar in calendars:
        if PRODID_MARK in str(calendar.get("prodid", "")):
            continue  # the practice's own feed, subscribed to and shared back
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end)
        for event in occurrences:
            if event.name == "VEVENT" and (span := _busy_span(event, rules)):
                spans.append(span)
    return merge_spans([s for s in spans if s[1] > start and s[0] < end])[:MAX_SPANS]


def _busy_span(event: Component, rules: Rules) -> Span | None:
    if not _counts_as_busy(event, rules):
        return None
    try:
        begins, ends = event.start, event.end
    except Exception:  # no usable DTSTART/DTEND/DURATION: nothing to block
        return None
    all_day = not isinstance(begins, dt.datetime)
    if all_day and not rules.include_all_day:
        return None
    begins, ends = _aware(begins, rules.zone), _aware(ends, rules.zone)
    return (begins, ends) if ends > begins else None


def _counts_as_busy(event: Component, rules: Rules) -> bool:
    if str(event.get("status", "")).upper() == "CANCELLED":
        return False
    if str(event.get("transp", "")).upper() == "TRANSPARENT":
        return False
    if str(event.get("x-microsoft-cdo-busystatus", "")).upper() == "FREE":
        return False
    if is_practice_uid(str(event.get("uid", "")), rules.practice_host):
        return False
    answer = _own_answer(event, rules.own_addresses)
    if answer == "DECLINED":
        return False
    return not (answer == "NEEDS-ACTION" and not rules.unanswered_busy)


def _own_answer(event: Component, own: frozenset[str]) -> str | None:
    """The practitioner's answer to an invitation (RFC 5545 PARTSTAT; unanswered is
    NEEDS-ACTION), or None for their own event or one they are not listed on."""
    if not own or _address(event.get("organizer")) in own:
        return None
    attendees = event.get("attendee", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    for attendee in attendees:
        if _address(attendee) in own:
            params = getattr(attendee, "params", {})
            return str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()
    return None


def _address(value) -> str:
    text = str(value or "").strip().lower()
    return text.removeprefix("mailto:")


def _aware(moment: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """UTC; a floating time or a date is read on the practice's clock."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)
