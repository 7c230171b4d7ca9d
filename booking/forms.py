"""The forms a patient fills in while booking, laid out with django-crispy-forms."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone

from . import intake
from .models import Practitioner, Service
from .phone import InvalidPhone, phone_normalise


def _plain_required_messages(form: forms.Form) -> None:
    """ "Please answer this question" rather than Django's "This field is required"."""
    for field in form.fields.values():
        if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
            field.error_messages["required"] = "Please answer this question."


def _helper(*fieldsets) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the templates write the <form>, its buttons and its error summary
    helper.layout = Layout(*fieldsets)
    return helper


def _free_text(label: str, *, rows: int) -> forms.CharField:
    """An optional answer in the patient's own words."""
    return forms.CharField(
        label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": rows})
    )


def _yes_no(question: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=question, choices=intake.YES_NO, widget=forms.RadioSelect)


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
        )
        self.fields["practitioner"].queryset = practitioners
        if practitioners.count() <= 1:
            del self.fields["practitioner"]
        self.helper = _helper(*self.fields)

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


class DetailsForm(forms.Form):
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
    # A field people never see or fill in: bots fill in every field they find.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        _plain_required_messages(self)
        self.helper = _helper(
            Fieldset("Your name", "first_name", "last_name"),
            Fieldset("How to reach you", "email", "phone"),
            Fieldset("About you", "date_of_birth"),
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


def _consent_fields(*, returning: bool) -> dict[str, forms.Field]:
    """Consent to treatment, and the privacy notice and cancellation policy acknowledged: two
    ticks for a new patient, one for a returning patient who has given both before."""
    if returning:
        return {
            "consent_treatment": forms.BooleanField(
                label=(
                    "I consent to treatment as before, and I accept the privacy notice and the "
                    "cancellation policy."
                ),
                error_messages={"required": "Please give your consent to book."},
            )
        }
    return {
        "consent_treatment": forms.BooleanField(
            label=(
                "I understand what acupuncture treatment involves and I consent to it "
                "(see the consent information above)."
            ),
            error_messages={"required": "Please give your consent to treatment to book."},
        ),
        "policies_ack": forms.BooleanField(
            label="I have read the privacy notice and the cancellation policy.",
            error_messages={
                "required": "Please confirm you have read the privacy notice and the "
                "cancellation policy."
            },
        ),
    }


class ChecklistField(forms.MultipleChoiceField):
    """Questions shown as one list: the patient ticks each that applies, or "None of these".

    An empty list is never taken for "no": the patient must tick something."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, questions, *, label: str, **kwargs):
        self.questions = tuple(questions)
        super().__init__(
            label=label,
            choices=[(q.key, q.text) for q in self.questions]
            + [(intake.NONE_OF_THESE, "None of these")],
            error_messages={"required": 'Tick each one that applies, or "None of these".'},
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if intake.NONE_OF_THESE in value and len(value) > 1:
            raise forms.ValidationError(
                'You ticked "None of these" and something in the list as well. Please untick '
                "one of them."
            )

    def answers(self, ticked: list[str]) -> dict[str, str]:
        """One "yes" or "no" per question, as the intake is stored."""
        return {q.key: "yes" if q.key in ticked else "no" for q in self.questions}

    def ticked(self, answers: dict) -> list[str] | None:
        """The ticks that stored answers stand for (None when these were never answered)."""
        if not any(q.key in answers for q in self.questions):
            return None
        ticked = [q.key for q in self.questions if answers.get(q.key) == "yes"]
        return ticked or [intake.NONE_OF_THESE]


def _checklists(*, returning: bool) -> dict[str, ChecklistField]:
    emergency = intake.EMERGENCY_SIGNS
    return {
        "emergency_signs": ChecklistField(
            emergency,
            label="Do you have any of these now?",
            help_text="These can be signs of an emergency. Tick each one that applies, or "
            '"None of these".',
        ),
        "doctor_signs": ChecklistField(
            intake.DOCTOR_SIGNS_ASKED,
            label="Do any of these apply to you?",
            help_text="These can be signs of a problem a doctor should check first. Tick each "
            'one that applies, or "None of these".',
        ),
        "precautions": ChecklistField(
            intake.PRECAUTIONS,
            label="Which of these are true for you?",
            help_text=(
                "These help the practitioner plan your treatment safely, and some change what "
                'can be booked. Tick each one that applies, or "None of these".'
                + (" Please answer again: things change." if returning else "")
            ),
        ),
    }


CHECKLISTS = ("emergency_signs", "doctor_signs", "precautions")
CONSENT_BOXES = {"consent_treatment", "policies_ack"}
NOT_STORED = {*CONSENT_BOXES, *CHECKLISTS}
CONSENT_TEXT = HTML('{% include "booking/includes/consent_text.html" %}')


class IntakeForm(forms.Form):
    """The questions every intake asks (warning signs, precautions, consent) and the layout.

    ``initial`` and ``answers()`` speak the stored form of the answers (one "yes" or "no"
    per question, see booking/intake.py), whatever the layout."""

    returning = False

    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(_checklists(returning=self.returning))
        if self.returning:
            self.fields[intake.DOCTOR_CLEARED] = forms.BooleanField(
                required=False,
                label=(
                    "A doctor has checked the signs I ticked in this list since they began, "
                    "and said acupuncture is fine for me."
                ),
            )
        self.fields.update(_consent_fields(returning=self.returning))
        _plain_required_messages(self)
        for name in CHECKLISTS:
            ticked = self.fields[name].ticked(initial or {})
            if ticked is not None:
                self.initial[name] = ticked
        if (initial or {}).get(intake.DOCTOR_CLEARED) == "yes":
            self.initial[intake.DOCTOR_CLEARED] = True
        self.helper = _helper(*self.fieldsets())

    def fieldsets(self) -> list:
        raise NotImplementedError

    def screening_fieldsets(self) -> list:
        doctor = ["doctor_signs"]
        if self.returning:
            doctor.append(intake.DOCTOR_CLEARED)
        return [
            Fieldset("Signs that need emergency care", "emergency_signs"),
            Fieldset("Signs that need a doctor first", *doctor),
            Fieldset("Before acupuncture", "precautions"),
        ]

    def answers(self) -> dict:
        """What is stored of a valid form: every answer but the consent boxes, and one
        "yes" or "no" per checklist question."""
        stored = {k: v for k, v in self.cleaned_data.items() if k not in NOT_STORED}
        for name in CHECKLISTS:
            stored.update(self.fields[name].answers(self.cleaned_data[name]))
        if self.returning:
            stored[intake.DOCTOR_CLEARED] = "yes" if stored[intake.DOCTOR_CLEARED] else "no"
        return stored


class NewPatientIntakeForm(IntakeForm):
    pain_areas = forms.MultipleChoiceField(
        label="Where does it hurt?",
        choices=intake.PAIN_AREAS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one place where it hurts."},
    )
    pain_elsewhere = forms.CharField(
        label="If somewhere else, where?", required=False, max_length=200
    )
    pain_score = forms.TypedChoiceField(
        label="How strong is the pain right now, from 0 (none) to 10 (the worst imaginable)?",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    pain_duration = forms.ChoiceField(
        label="How long have you had this pain?",
        choices=intake.PAIN_DURATION,
        widget=forms.RadioSelect,
    )
    pain_onset = forms.ChoiceField(
        label="How did it start?", choices=intake.PAIN_ONSET, widget=forms.RadioSelect
    )
    worse = _free_text("What makes it worse?", rows=3)
    better = _free_text("What makes it better?", rows=3)
    earlier_treatments = forms.MultipleChoiceField(
        label="What have you tried already?",
        choices=intake.EARLIER_TREATMENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    medications = _free_text("Medications and supplements you take", rows=3)
    allergies = _free_text("Other allergies (to medicines, for example)", rows=2)
    surgeries = _free_text("Surgeries or implants", rows=2)
    conditions = _free_text("Other health conditions we should know about", rows=2)
    emergency_contact = forms.CharField(
        label="Emergency contact: name and phone (optional)", required=False, max_length=200
    )
    referral = forms.ChoiceField(
        label="How did you hear about us?", choices=intake.REFERRAL, required=False
    )

    def __init__(self, *args, source_known: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if source_known:  # the article the booking came from is recorded already
            del self.fields["referral"]
            self.helper = _helper(*self.fieldsets())

    def fieldsets(self) -> list:
        consent = [*_consent_fields(returning=False)]
        if "referral" in self.fields:
            consent.append("referral")
        return [
            Fieldset(
                "Your pain",
                "pain_areas",
                "pain_elsewhere",
                Field("pain_score", wrapper_class="scale"),
                "pain_duration",
                "pain_onset",
                "worse",
                "better",
                "earlier_treatments",
            ),
            Fieldset(
                "Your health",
                "medications",
                "allergies",
                "surgeries",
                "conditions",
                "emergency_contact",
            ),
            *self.screening_fieldsets(),
            Fieldset("Consent", CONSENT_TEXT, *consent),
        ]


class ReturningPatientIntakeForm(IntakeForm):
    returning = True
    changes = forms.CharField(
        label="What has changed since your last visit?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us briefly how you have been (even 'no change')."},
    )
    pain_score = NewPatientIntakeForm.base_fields["pain_score"]
    new_medications = _free_text("Any new medications or supplements?", rows=2)

    def fieldsets(self) -> list:
        return [
            Fieldset(
                "Since your last visit",
                "changes",
                Field("pain_score", wrapper_class="scale"),
                "new_medications",
            ),
            *self.screening_fieldsets(),
            Fieldset("Consent", CONSENT_TEXT, *_consent_fields(returning=True)),
        ]


INTAKE_FORMS = (NewPatientIntakeForm, ReturningPatientIntakeForm)


def _stored_questions() -> dict[str, tuple[str, dict]]:
    """Every answer the intake forms store, by name: (what was asked, its choices), in the
    order the forms ask them; each checklist item is a yes/no question of its own."""
    asked: dict[str, tuple[str, dict]] = {}
    for form_class in INTAKE_FORMS:
        for name, field in form_class().fields.items():
            if isinstance(field, ChecklistField):
                for question in field.questions:
                    asked.setdefault(question.key, (question.text, dict(intake.YES_NO)))
            elif name not in NOT_STORED:
                choices = dict(getattr(field, "choices", []) or [])
                if isinstance(field, forms.BooleanField):
                    choices = dict(intake.YES_NO)
                asked.setdefault(name, (str(field.label), choices))
    return asked


STORED_QUESTIONS = _stored_questions()
# Every answer either intake form stores, by name (the export lists stored answers to any
# other question, from an older version of the form, under their stored name).
INTAKE_QUESTION_NAMES = frozenset(STORED_QUESTIONS)


def intake_rows(answers: dict) -> list[tuple[str, str]]:
    """The answers as (question, answer) pairs, in the order the form asks them."""
    rows = []
    for name, (label, choices) in STORED_QUESTIONS.items():
        if name not in answers:
            continue
        value = answers[name]
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value) or "none"
        else:
            shown = str(choices.get(value, value)) if value != "" else "—"
        rows.append((label, shown))
    return rows
