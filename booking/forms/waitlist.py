"""The waiting list's own question: which days and times would suit. Who the patient is and
their health answers are asked by the booking's own steps and forms."""

import datetime as dt

from django import forms
from django.utils import timezone

from ..models import PartOfDay
from ..models.schedule import Weekday
from .layout import form_helper, plain_required_messages

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WaitlistWishForm(forms.Form):
    earliest = forms.DateField(label="From", widget=DATE_INPUT)
    latest = forms.DateField(label="Until", widget=DATE_INPUT)
    weekdays = forms.TypedMultipleChoiceField(
        label="Which days suit you? (none ticked: any day)",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parts_of_day = forms.MultipleChoiceField(
        label="Which times of day? (none ticked: any time)",
        choices=PartOfDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, max_weeks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_weeks = max_weeks
        plain_required_messages(self)
        self.helper = form_helper(*self.fields)

    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        today = timezone.localdate()
        if earliest and earliest < today:
            self.add_error("earliest", "Choose today or a later day.")
        if earliest and latest and latest < earliest:
            self.add_error("latest", "Choose a day on or after the first one.")
        if latest and latest > today + dt.timedelta(weeks=self.max_weeks):
            self.add_error(
                "latest", f"The waiting list keeps anyone at most {self.max_weeks} weeks."
            )
        return cleaned
