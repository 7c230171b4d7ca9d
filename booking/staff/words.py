"""Stored values as staff read them: "Yes" and "No", a dash for nothing, days and times on
the practice's clock, phone numbers in the practice's national format, and pages titled
after the thing they show ("Waiting-list entry: Ada Lovelace waiting for …"), never
"Inspect" or "True"."""

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column

from practice.local_time import local, moment

NOTHING = "\N{EM DASH}"
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def in_words(value, *, empty: str = NOTHING) -> str | object:
    """``value`` as a person writes it; anything else (a component, a string) unchanged."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return moment(value) if timezone.is_aware(value) else dateformat.format(value, "D M j, Y")
    if isinstance(value, dt.date):
        return dateformat.format(value, "D M j, Y")
    return value


def yes_no(field: str, label: str):
    """A list column of a true-or-false field, in words: "Yes" or "No" (Wagtail writes
    "True" and "False")."""
    return Column(field, label=label, accessor=lambda obj: in_words(getattr(obj, field)))


def day_names(weekdays) -> str:
    """Monday-is-0 weekday numbers as day names: "Monday, Wednesday"."""
    return ", ".join(DAY_NAMES[day] for day in sorted(weekdays) if day in range(7))


def local_naive(value: dt.datetime) -> dt.datetime:
    """An aware moment as the practice's clock reads it, without its zone: what a
    spreadsheet cell holds (a cell has no zone; openpyxl refuses an aware one)."""
    return timezone.make_naive(local(value), timezone.get_default_timezone())


# An export's moment on the practice's clock (Wagtail's own writes UTC): ISO 8601 with the
# offset in the CSV, the local time in an XLSX cell. A ``custom_field_preprocess`` entry.
LOCAL_CLOCK_EXPORT = {"xlsx": local_naive, "csv": lambda value: local(value).isoformat(" ")}


class InWordsInspectMixin:
    """For the admin's inspect pages: the page is titled after the object's kind, each
    value is written in words, and a field named in ``empty_words`` says what nothing
    means there ("Any practitioner")."""

    empty_words: dict[str, str] = {}

    def get_page_title(self):
        return capfirst(self.model._meta.verbose_name)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return in_words(value, empty=self.empty_words.get(field_name, NOTHING))
