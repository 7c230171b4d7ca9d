"""Reads of practitioners' own calendars and the busy times stored from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import BusyTime, CalendarSource, Practitioner


def busy_time_list_for(
    *, practitioner_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """(practitioner id, start, end) of every stored busy time overlapping [start, end).
    One query."""
    return list(
        BusyTime.objects.filter(
            practitioner_id__in=list(practitioner_ids), starts_at__lt=end, ends_at__gt=start
        )
        .order_by("starts_at")
        .values_list("practitioner_id", "starts_at", "ends_at")
    )


def calendar_source_list_for(*, practitioner: Practitioner) -> QuerySet[CalendarSource]:
    return CalendarSource.objects.filter(practitioner=practitioner).order_by("created_at", "pk")


def calendar_source_ids_to_sync() -> list[int]:
    """Every source of a practitioner who takes bookings."""
    return list(
        CalendarSource.objects.filter(practitioner__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def calendar_source_get(*, pk: int) -> CalendarSource | None:
    return (
        CalendarSource.objects.select_related("practitioner__user", "practitioner__profile")
        .filter(pk=pk)
        .first()
    )
