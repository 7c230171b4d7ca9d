"""Forms staff use in the admin."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from practice.local_time import moment
from practice.single_line import SingleLineFields

from .. import time_off
from ..models import AppointmentStatus, NoteKind, Practitioner, Service
from ..phone import InvalidPhone, phone_normalise
from ..screening import PHONE_REFUSALS


class PractitionerAdminForm(SingleLineFields, WagtailAdminModelForm):
    """Login, public profile and whether they take bookings; their weekly hours have a
    page of their own, a row a day (``week.py``)."""


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
    kind = forms.ChoiceField(
        label="Who reads it", choices=NoteKind.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        """``kinds``: what the person may write (``access.note_kinds_writable_by``); the
        first is chosen to begin with, and a single one needs no choosing."""
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        field.choices = [(value, label) for value, label in NoteKind.choices if value in kinds]
        field.initial = kinds[0] if kinds else None
        if len(kinds) == 1:
            field.widget = forms.HiddenInput()
        self.kinds = kinds

    def clean_kind(self):
        # Not given: the first the person may write (clinical for a practitioner).
        return self.cleaned_data["kind"] or (self.kinds[0] if self.kinds else "")


class TimeOffAdminForm(SingleLineFields, WagtailAdminModelForm):
    """Time off, entered in the practice's own time (the views make it the current zone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_default_timezone().key
        for name in ("starts_at", "ends_at"):
            if name in self.fields:
                self.fields[name].help_text = f"In the practice's local time ({zone})."


class CoveredAppointmentsForm(forms.Form):
    """One choice per appointment a time off covers: keep it, cancel it, or move it to one
    of the free times offered (the nearest first, already chosen)."""

    def __init__(self, *args, appointments, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointments = appointments
        self.movable = {pk for pk, times in offers.items() if times}
        for a in appointments:
            told = "email the patient" if a.patient.has_email else "no email: phone them"
            choices = [
                (time_off.KEEP, "Keep it, inside the time off"),
                (time_off.CANCEL, f"Cancel it ({told})"),
            ]
            if a.pk in self.movable:
                times = offers[a.pk]
                choices.append((time_off.MOVE, f"Move it to the new time chosen below ({told})"))
                self.fields[f"start_{a.pk}"] = forms.ChoiceField(
                    label="New time",
                    choices=[(t.start.isoformat(), moment(t.start, "D M j")) for t in times],
                    initial=times[0].start.isoformat(),
                    required=False,
                    error_messages={
                        "invalid_choice": "That time is no longer free: choose another."
                    },
                )
            self.fields[f"action_{a.pk}"] = forms.ChoiceField(
                label=f"{a.patient.full_name}, {a.service.name}, {a.when}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose what happens to this appointment."},
            )

    def rows(self):
        """Each appointment with its bound choice and, when it can move, its bound new time."""
        return [
            (a, self[f"action_{a.pk}"], self[f"start_{a.pk}"] if a.pk in self.movable else None)
            for a in self.appointments
        ]

    def clean(self):
        data = super().clean()
        for a in self.appointments:
            if data.get(f"action_{a.pk}") == time_off.MOVE and not data.get(f"start_{a.pk}"):
                self.add_error(f"start_{a.pk}", "Choose the new time.")
        return data

    def decisions(self) -> list[time_off.Decision]:
        data = self.cleaned_data
        return [
            time_off.Decision(
                appointment_id=a.pk,
                action=data[f"action_{a.pk}"],
                start=dt.datetime.fromisoformat(data[f"start_{a.pk}"])
                if data[f"action_{a.pk}"] == time_off.MOVE
                else None,
            )
            for a in self.appointments
        ]


class StaffTimeForm(forms.Form):
    """A time chosen by staff: any free time, including within the minimum notice."""

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    # The browser's own time field: it shows the time as the staff member's device does
    # and sends "14:30" whatever the locale, so its value is written that way too.
    time = forms.TimeField(
        label="Start time (local)",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    # Shown as a box to tick only once the time turned out busy in the practitioner's own
    # calendar (``offer_over_busy``); until then a hidden "no".
    over_busy = forms.BooleanField(
        label="Book it anyway, over the busy time in their own calendar",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, scopes=None, **kwargs):
        """``scopes``, for a session of a course: (value, label) pairs of what to move."""
        super().__init__(*args, **kwargs)
        if scopes:
            self.fields["scope"] = forms.ChoiceField(
                label="Move",
                choices=scopes,
                initial=scopes[0][0],
                widget=forms.RadioSelect,
                help_text="The other sessions move as many days on, to the same time of day.",
            )

    def offer_over_busy(self, warning: str) -> None:
        self.fields["over_busy"].widget = forms.CheckboxInput()
        self.add_error(None, warning)


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


class StaffBookingForm(SingleLineFields, StaffTimeForm):
    service = forms.ModelChoiceField(queryset=Service.objects.active(), label="Service")
    practitioner = forms.ModelChoiceField(
        queryset=_active_practitioners(),
        label="Practitioner",
        required=False,
        empty_label="First available",
    )
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(
        required=False,
        help_text="Leave empty if the caller has none: they then get no emails (no "
        "confirmation, reminder or manage link), and are found again by phone, name and date "
        "of birth.",
    )
    phone = forms.CharField(max_length=40)
    date_of_birth = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    red_flags = forms.ChoiceField(
        label="The health questions read to the caller (the script above)",
        choices=[
            ("none", "No to every question"),
            ("doctor", "Yes to a question in the second list (a doctor within 24 hours)"),
            ("emergency", "Yes to a question in the first list (emergency care now)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Read the questions to the caller and choose their answer."},
    )
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

    def clean(self):
        cleaned = super().clean()
        warning = cleaned.get("red_flags")
        if warning in PHONE_REFUSALS and not cleaned.get("override_reason", "").strip():
            self.add_error("red_flags", PHONE_REFUSALS[warning])
        return cleaned

    def clean_phone(self):
        """Checked for the practice's country and stored in E.164, as online (booking/phone.py)."""
        try:
            return phone_normalise(self.cleaned_data["phone"])
        except InvalidPhone:
            raise ValidationError(
                "We could not read this as a phone number we can call: please check it."
            ) from None

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > dt.date.today():
            raise ValidationError("The date of birth is in the future.")
        return born
