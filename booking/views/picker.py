"""The slot picker, shared by the booking steps and the manage link: a week of free times.

A slot button sends ``"<aware ISO start>|<practitioner id>"``: ``encode_slot_choice``
writes that value and ``parse_slot_choice`` reads it back, refusing anything else.
"""

import datetime as dt
from collections import OrderedDict

from django.utils import timezone

from practice.local_time import zone_label

from .. import selectors

DAYS_SHOWN = 7


def encode_slot_choice(start: dt.datetime, practitioner_id: int) -> str:
    """The value a slot button sends: an aware start, and who is free at it."""
    return f"{start.isoformat()}|{practitioner_id}"


def parse_slot_choice(value: str) -> tuple[dt.datetime, int] | None:
    """The (aware start, practitioner id) a slot button sends, or None for anything else.

    A start in the first or last year of the calendar is refused: nothing is bookable
    there, and the day arithmetic around it (the day before, the week after) would overflow.
    """
    try:
        start, practitioner_id = value.split("|")
        when = dt.datetime.fromisoformat(start)
        if when.tzinfo is None or not dt.MINYEAR < when.year < dt.MAXYEAR:
            return None
        return when, int(practitioner_id)
    except (ValueError, TypeError):
        return None


def posted_slot_choice(request) -> tuple[tuple[dt.datetime, int] | None, str | None]:
    """The slot a picker form sent, or None and the error to show when it sent none that
    can be read."""
    choice = parse_slot_choice(request.POST.get("slot", ""))
    return choice, None if choice else "Choose one of the times below."


def slot_days(found, first_day: dt.date, days: int, *, one_per_time: bool) -> list[dict]:
    """Free slots grouped by local day for the picker. With "first available", each time
    is offered once, under the first practitioner free at it."""
    tz = timezone.get_default_timezone()
    grouped: OrderedDict[dt.date, list] = OrderedDict(
        (first_day + dt.timedelta(days=n), []) for n in range(days)
    )
    seen = set()
    for slot in found:
        local = slot.start.astimezone(tz)
        if local.date() not in grouped or (one_per_time and slot.start in seen):
            continue
        seen.add(slot.start)
        grouped[local.date()].append(
            {
                "value": encode_slot_choice(slot.start, slot.practitioner_id),
                "local": local,
                "iso": local.isoformat(),
                "practitioner_id": slot.practitioner_id,
            }
        )
    return [
        {"date": day, "iso": day.isoformat(), "slots": day_slots}
        for day, day_slots in grouped.items()
    ]


def _week_start(request, first_free: dt.date | None, today: dt.date) -> dt.date:
    """The first day shown: the one asked for in ``?week=`` (never before today), else the
    first day with a free time."""
    try:
        asked = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        asked = None
    if asked:
        return max(asked, today)
    return first_free or today


def chosen_day(request, days: list[dict]) -> dict | None:
    """The day whose times are shown (``?day=``, if it has any), else the first with times."""
    with_times = [day for day in days if day["slots"]]
    asked = request.GET.get("day", "")
    return next((d for d in with_times if d["date"].isoformat() == asked), None) or (
        with_times[0] if with_times else None
    )


def week_bounds(first_day: dt.date, *, today: dt.date, horizon: dt.date) -> dict:
    """The week shown from ``first_day``, and the weeks before and after it, while bookable."""
    previous = first_day - dt.timedelta(days=DAYS_SHOWN)
    following = first_day + dt.timedelta(days=DAYS_SHOWN)
    return {
        "first_day": first_day,
        "last_day": first_day + dt.timedelta(days=DAYS_SHOWN - 1),
        "previous_week": max(previous, today) if first_day > today else None,
        "next_week": following if following <= horizon else None,
    }


def len_ahead(policy) -> int:
    """How many days are searched for the first free time (from today)."""
    return min(28, policy.horizon_days + 1)


def picker_context(
    request, *, service, practitioner, now, exclude=None, new_patient: bool = False
) -> dict:
    """The template context of a week of free times: the week asked for in ``?week=``, or
    the one with the first free time. ``exclude`` is an appointment being moved; a
    ``new_patient`` sees only the times of practitioners who see new patients."""
    policy = selectors.booking_policy_get()
    tz = timezone.get_default_timezone()
    today = now.astimezone(tz).date()
    horizon = today + dt.timedelta(days=policy.horizon_days)
    first = (
        None
        if request.GET.get("week")
        else selectors.slot_list_first_week(
            service=service,
            practitioner=practitioner,
            today=today,
            search_days=len_ahead(policy),
            week_days=DAYS_SHOWN,
            now=now,
            new_patient=new_patient,
        )
    )
    first_day = min(_week_start(request, first and first[0], today), horizon)
    if first and exclude is None and first[0] == first_day:
        found = first[1]  # the week with the first free time, already worked out
    else:
        found = selectors.slot_list_free(
            service=service,
            practitioner=practitioner,
            first_day=first_day,
            days=DAYS_SHOWN,
            now=now,
            exclude_appointment=exclude,
            new_patient=new_patient,
        )
    days = slot_days(found, first_day, DAYS_SHOWN, one_per_time=practitioner is None)
    bounds = week_bounds(first_day, today=today, horizon=horizon)
    if not request.GET.get("week"):
        # The first week shown starts at the first free time: nothing earlier is free.
        bounds["previous_week"] = None
    return {
        "days": days,
        "chosen_day": chosen_day(request, days),
        **bounds,
        "zone_name": zone_label(),
        "has_slots": bool(found),
    }
