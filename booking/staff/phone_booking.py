"""The free times on the phone booking screen (``actions.book_for_patient``).

A GET form chooses the service, the practitioner and the day; the times free then are
links that fill in the time (the same slot arithmetic as patients', minimum notice
waived). After a clash, the nearest free times are buttons of the booking form itself,
so that what was typed about the patient is kept when one is chosen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from practice.local_time import clock

from .. import selectors, slots
from ..views.picker import encode_slot_choice, parse_slot_choice
from .forms import FindTimeForm

CHOICE_FIELDS = ("service", "practitioner", "date", "time")


@dataclass(frozen=True)
class FreeTime:
    """A free start, as a link (``url``) or a button value (``value``) of the screen."""

    local: dt.datetime
    practitioner_id: int
    practitioner: str
    url: str
    value: str
    chosen: bool = False


def _time_or_none(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _names(practitioner_ids) -> dict[int, str]:
    return {p.pk: p.name for p in selectors.practitioner_list_active() if p.pk in practitioner_ids}


def free_times_list(
    slots_found: list[slots.Slot], *, service_id: int, chosen: dt.time | None
) -> list[FreeTime]:
    """The links of the free times, one a start time (under the first practitioner free)."""
    zone = timezone.get_default_timezone()
    names = _names({slot.practitioner_id for slot in slots_found})
    base = reverse("booking_staff:book_for_patient")
    times, seen = [], set()
    for slot in slots_found:
        if slot.start in seen:
            continue
        seen.add(slot.start)
        local = slot.start.astimezone(zone)
        query = {
            "service": service_id,
            "practitioner": slot.practitioner_id,
            "date": local.date().isoformat(),
            "time": f"{local:%H:%M}",
        }
        times.append(
            FreeTime(
                local=local,
                practitioner_id=slot.practitioner_id,
                practitioner=names.get(slot.practitioner_id, ""),
                url=f"{base}?{urlencode(query, safe=':')}",
                value=encode_slot_choice(slot.start, slot.practitioner_id),
                chosen=chosen is not None and local.time().replace(tzinfo=None) == chosen,
            )
        )
    return times


def nearest_list(alternatives: list[slots.Slot]) -> list[FreeTime]:
    """The nearest free times after a clash, as buttons of the booking form."""
    zone = timezone.get_default_timezone()
    names = _names({slot.practitioner_id for slot in alternatives})
    return [
        FreeTime(
            local=slot.start.astimezone(zone),
            practitioner_id=slot.practitioner_id,
            practitioner=names.get(slot.practitioner_id, ""),
            url="",
            value=encode_slot_choice(slot.start, slot.practitioner_id),
        )
        for slot in alternatives
    ]


def picked_data(data):
    """The booking form's data with the time of the button pressed (``pick``) in it, or
    None when no such button was pressed."""
    choice = parse_slot_choice(data.get("pick", ""))
    if choice is None:
        return None
    start, practitioner_id = choice
    local = start.astimezone(timezone.get_default_timezone())
    picked = data.copy()
    picked["date"], picked["time"] = local.date().isoformat(), f"{local:%H:%M}"
    picked["practitioner"] = str(practitioner_id)
    return picked


def form_initial(data, context: dict) -> dict:
    """What the booking form starts with: the choice in the query string, and who is free
    at the chosen time when "first available" was asked for."""
    initial = {name: data.get(name, "") for name in CHOICE_FIELDS}
    if context.get("chosen"):
        initial["practitioner"] = context["chosen"].practitioner_id
    return initial


def finder_context(data, *, now: dt.datetime) -> dict:
    """The GET form and the free times of the service, practitioner and day in ``data``
    (the query string, or the booking form sent), with ``time`` marked when it is free
    (``asked_time`` as sent, "14:30"; ``asked_clock`` as people read it, "2:30 PM")."""
    asked = {name: data.get(name, "") for name in CHOICE_FIELDS}
    find = FindTimeForm(
        data if asked["service"] else None,
        initial={"practitioner": asked["practitioner"], "date": asked["date"]},
    )
    time = _time_or_none(asked["time"])
    context = {
        "find": find,
        "asked_time": asked["time"],
        "asked_clock": clock(time) if time else asked["time"],
        "free_times": None,
        "chosen": None,
    }
    if not find.is_bound or not find.is_valid():
        return context
    service, practitioner, day = (find.cleaned_data[k] for k in ("service", "practitioner", "date"))
    found = selectors.slot_list_free(
        service=service,
        practitioner=practitioner,
        first_day=day,
        days=1,
        now=now,
        ignore_notice=True,
    )
    times = free_times_list(found, service_id=service.pk, chosen=time)
    step = dt.timedelta(days=1)
    base = reverse("booking_staff:book_for_patient")

    def other_day(when: dt.date) -> str:
        query = {"service": service.pk, "practitioner": practitioner.pk if practitioner else ""}
        return f"{base}?{urlencode({**query, 'date': when.isoformat()})}"

    today = now.astimezone(timezone.get_default_timezone()).date()
    context.update(
        service=service,
        practitioner=practitioner,
        day=day,
        free_times=times,
        chosen=next((t for t in times if t.chosen), None),
        previous_day_url=other_day(day - step) if day > today else None,
        next_day_url=other_day(day + step),
    )
    return context
