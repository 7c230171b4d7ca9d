"""Forms staff use in the admin."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import AppointmentStatus, Practitioner, Service
from ..models.schedule import Weekday


class PractitionerAdminForm(WagtailAdminModelForm):
    """Refuses weekly hours that overlap on the same day."""

    def is_valid(self):
        # The hours' formset is cleaned after this form, so the check runs here.
        valid = super().is_valid()
        return self._check_hours_do_not_overlap() and valid

    def _check_hours_do_not_overlap(self) -> bool:
        formset = self.formsets.get("working_hours")
        if formset is None:
            return True
        ok = True
        by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            start, end, weekday = data.get("start_time"), data.get("end_time"), data.get("weekday")
            if start is None or end is None or weekday is None:
                continue
            if end <= start:
                form.add_error("end_time", "The hours must end after they start.")
                ok = False
                continue
            for other_start, other_end in by_day.get(weekday, []):
                if start < other_end and other_start < end:
                    ok = False
                    form.add_error(
                        "start_time",
                        f"These hours overlap other hours on {Weekday(weekday).label}: "
                        f"{other_start:%H:%M} to {other_end:%H:%M}.",
                    )
            by_day.setdefault(weekday, []).append((start, end))
        return ok


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept with the appointment; not sent to the patient)",
        max_length=300,
        required=False,
    )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (AppointmentStatus.COMPLETED, "Completed"),
            (AppointmentStatus.NO_SHOW, "No-show"),
        ],
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Private note", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StaffTimeForm(forms.Form):
    """A time chosen by staff: any free time, including within the minimum notice."""

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Start time (local)", widget=forms.TimeInput(attrs={"type": "time"})
    )


def _active_practitioners():
    return Practitioner.objects.filter(is_active=True).select_related("profile")


class FindTimeForm(forms.Form):
    """The phone booking's first step, sent by GET: whose free times, on which day."""

    service = forms.ModelChoiceField(queryset=Service.objects.active(), label="Service")
    practitioner = forms.ModelChoiceField(
        queryset=_active_practitioners(),
        label="Practitioner",
        required=False,
        empty_label="First available",
    )
    date = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="find_%s", **kwargs)


class StaffBookingForm(StaffTimeForm):
    service = forms.ModelChoiceField(queryset=Service.objects.active(), label="Service")
    practitioner = forms.ModelChoiceField(
        queryset=_active_practitioners(),
        label="Practitioner",
        required=False,
        empty_label="First available",
    )
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(max_length=40)
    date_of_birth = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    override_reason = forms.CharField(
        label="Practitioner's reason to book despite a rule (only if one applies)",
        help_text="If the patient's latest answers rule out this session, a practitioner may "
        "still book it by writing why. The reason goes into the appointment's private notes.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, may_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_reason"]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > dt.date.today():
            raise ValidationError("The date of birth is in the future.")
        return born
