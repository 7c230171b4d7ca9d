"""The first steps' forms: the service, and who is booking."""

import datetime as dt

from crispy_forms.layout import Div, Field, Fieldset
from django import forms
from django.utils import timezone

from practice.single_line import SingleLineFields

from ..models import Practitioner, Service
from ..phone import InvalidPhone, phone_normalise
from .layout import form_helper, plain_required_messages


class ServiceChoiceForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which session would you like?",
        error_messages={"required": "Choose a session.", "invalid_choice": "Choose a session."},
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.none(),
        required=False,
        blank=True,  # without it, radio buttons drop the "first available" choice
        widget=forms.RadioSelect,
        empty_label="First available",
        label="With whom?",
    )

    def __init__(self, *args, services, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: (
            f"{s.name} — {s.duration_minutes} minutes, ${s.price:.0f}"
            + ("" if s.open_to_new_patients else " (returning patients)")
        )
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].label_from_instance = lambda p: (
            p.name if p.takes_new_patients else f"{p.name} (returning patients)"
        )
        if practitioners.count() <= 1:
            del self.fields["practitioner"]
        self.helper = form_helper(*self.fields)

    def clean(self):
        # Every active practitioner is listed, whatever the session: a session they do not
        # give must not reach their diary.
        cleaned = super().clean()
        service, practitioner = cleaned.get("service"), cleaned.get("practitioner")
        if practitioner and service and not practitioner.services.filter(pk=service.pk).exists():
            self.add_error(
                "practitioner",
                f"{practitioner.name} does not give this session. Please choose someone else, "
                "or the first available.",
            )
        return cleaned


def _autocomplete(purpose: str, **attrs) -> dict:
    """Names what a field asks for (WCAG 1.3.5), so browsers and assistive tools can fill it."""
    return {"autocomplete": purpose, **attrs}


class DetailsForm(SingleLineFields, forms.Form):
    first_name = forms.CharField(
        max_length=100, label="First name", widget=forms.TextInput(_autocomplete("given-name"))
    )
    last_name = forms.CharField(
        max_length=100, label="Last name", widget=forms.TextInput(_autocomplete("family-name"))
    )
    email = forms.EmailField(
        max_length=254,
        label="Email",
        help_text="Your confirmation and a private link to change or cancel go here.",
        widget=forms.EmailInput(_autocomplete("email")),
    )
    phone = forms.CharField(
        max_length=40,
        label="Phone",
        help_text="In case we need to reach you about the appointment.",
        widget=forms.TextInput(_autocomplete("tel", type="tel")),
    )
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(_autocomplete("bday", type="date"))
    )
    been_before = forms.BooleanField(
        required=False,
        label="I have been here before",
        help_text="We will email you a code: with it, you answer only the short questions.",
    )
    # A field people never see or fill in: bots fill in every field they find.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        plain_required_messages(self)
        self.helper = form_helper(
            Fieldset("Your name", "first_name", "last_name"),
            Fieldset("How to reach you", "email", "phone"),
            Fieldset("About you", "date_of_birth", "been_before"),
            Div(Field("website"), css_class="trap", aria_hidden="true"),
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = self.now.date()
        if born > today:
            raise forms.ValidationError("The date of birth is in the future.")
        if born < today.replace(year=today.year - 120):
            raise forms.ValidationError("Please check the year of your date of birth.")
        if born > today.replace(year=today.year - 16):
            raise forms.ValidationError(
                "Online booking is for people aged 16 or over. Please call us to book for a "
                "younger patient."
            )
        return born

    def clean_phone(self):
        try:
            return phone_normalise(self.cleaned_data["phone"])
        except InvalidPhone:
            raise forms.ValidationError(
                "Please check the phone number: we could not read it as a number we can call, "
                "such as (555) 010-0101."
            ) from None

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Please leave this field empty.")
        return ""


class EmailCodeForm(forms.Form):
    """The six-digit code emailed to a returning patient."""

    code = forms.CharField(
        max_length=20,
        label="The code from the email",
        widget=forms.TextInput(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_required_messages(self)
        self.helper = form_helper("code")

    def clean_code(self):
        digits = "".join(c for c in self.cleaned_data["code"] if c.isascii() and c.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError("The code is six digits, such as 012345.")
        return digits
