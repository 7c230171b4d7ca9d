"""The forms of a course: how many sessions and how often, and the choice on each row."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings

from ..views.picker import parse_slot_choice
from .plan import INTERVALS
from .services import SessionChoice

SKIP = "skip"


class CourseRequestForm(forms.Form):
    """How many more sessions, and every how many weeks (a GET form: the preview's URL)."""

    count = forms.TypedChoiceField(label="How many more sessions?", coerce=int)
    every = forms.TypedChoiceField(
        label="How often?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(n, "Every week" if n == 1 else f"Every {n} weeks") for n in INTERVALS],
        initial=1,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.COURSE_MAX_SESSIONS
        self.fields["count"].choices = [(n, str(n)) for n in range(1, most + 1)]
        self.fields["count"].initial = min(5, most)


def posted_choices(data, numbers) -> tuple[list[SessionChoice], list[int]]:
    """The choice sent for each row number (``session-<n>``: a slot value or "skip"), and the
    numbers of the rows whose value could not be read (then nothing is booked)."""
    choices, unreadable = [], []
    for number in numbers:
        value = data.get(f"session-{number}", SKIP)
        if value == SKIP:
            choices.append(SessionChoice(number, None))
            continue
        parsed = parse_slot_choice(value)
        if parsed is None:
            unreadable.append(number)
        else:
            choices.append(SessionChoice(number, parsed[0]))
    return choices, unreadable


def posted_numbers(data, *, most: int) -> list[int]:
    """The row numbers a confirm form carries (``rows``: "1,2,5"), within 1 .. ``most``."""
    numbers = []
    for part in str(data.get("rows", "")).split(","):
        if part.isascii() and part.isdigit() and len(part) <= 3 and 1 <= int(part) <= most:
            numbers.append(int(part))
    return sorted(set(numbers))


def posted_key(data) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("idempotency_key", "")))
    except ValueError:
        return None
