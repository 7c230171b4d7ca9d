"""How the practice writes times for people: its time zone ("Eastern Time", not
"America/New_York") and its clock ("2:30 PM" in the US, "14:30" in the UK).

Set in one place: ``TIME_ZONE`` and ``LANGUAGE_CODE``. The zone's name comes from the
Unicode CLDR through Babel, so a practice in London reads "British Time"; the clock comes
from the locale's format module (``practice/formats/``), the same one ``{{ value|time }}``
reads in templates, so Python code and templates never write a time two ways.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from babel import Locale
from babel.dates import get_timezone, get_timezone_name
from django.conf import settings
from django.utils import dateformat, formats, timezone


@cache
def _label(zone_key: str, language_code: str) -> str:
    locale = Locale.parse(language_code.replace("-", "_"))
    return get_timezone_name(
        get_timezone(zone_key), width="long", locale=locale, zone_variant="generic"
    )


def zone_label() -> str:
    """The practice's time zone as its patients name it (its generic, not seasonal, name)."""
    return _label(settings.TIME_ZONE, settings.LANGUAGE_CODE)


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment as the practice's clock reads it."""
    return moment.astimezone(timezone.get_default_timezone())


def _on_the_clock(value: dt.time | dt.datetime) -> dt.time | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return local(value)
    return value


def clock(value: dt.time | dt.datetime) -> str:
    """A time of day as the practice writes it (its locale's ``TIME_FORMAT``): "2:30 PM".
    An aware moment is read on the practice's clock."""
    return formats.time_format(_on_the_clock(value))


def clock_range(start: dt.time | dt.datetime, end: dt.time | dt.datetime) -> str:
    """From one time to another, short, an en dash between: "9:30-10:00 AM",
    "11:30 AM-1:00 PM", "09:30-10:00". The start's "AM" or "PM" is left off when the end's
    is the same."""
    first, last = clock(start), clock(end)
    marker = re.search(r"\D*$", first).group()
    if marker.strip() and last.endswith(marker):
        first = first[: -len(marker)]
    return f"{first}\N{EN DASH}{last}"


def hour_mark(value: dt.time) -> str:
    """A whole hour in its short form (the locale's ``HOUR_FORMAT``): "9 AM", or "09:00"."""
    hour_format = formats.get_format("HOUR_FORMAT")
    if hour_format == "HOUR_FORMAT":  # a locale without one: its full clock
        return clock(value)
    return formats.time_format(value, hour_format)


def moment(value: dt.datetime, day: str = "D M j, Y") -> str:
    """A day and its time on the practice's clock: "Mon Jan 18, 2027, 2:30 PM". ``day`` is
    a Django date format for the day's part; the time's is always the locale's."""
    value = local(value)
    return f"{dateformat.format(value, day)}, {clock(value)}"
