"""The health questions' forms (new and returning patient), and how stored answers read back."""

from crispy_forms.layout import HTML, Field, Fieldset
from django import forms

from .. import questions
from .layout import form_helper, free_text, plain_required_messages


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

    def __init__(self, asked, *, label: str, **kwargs):
        self.questions = tuple(asked)
        super().__init__(
            label=label,
            choices=[(q.key, q.text) for q in self.questions]
            + [(questions.NONE_OF_THESE, "None of these")],
            error_messages={"required": 'Tick each one that applies, or "None of these".'},
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if questions.NONE_OF_THESE in value and len(value) > 1:
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
        return ticked or [questions.NONE_OF_THESE]


def _checklists(*, returning: bool) -> dict[str, ChecklistField]:
    emergency = questions.EMERGENCY_SIGNS
    return {
        "emergency_signs": ChecklistField(
            emergency,
            label="Do you have any of these now?",
            help_text="These can be signs of an emergency. Tick each one that applies, or "
            '"None of these".',
        ),
        "doctor_signs": ChecklistField(
            questions.DOCTOR_SIGNS_ASKED,
            label="Do any of these apply to you?",
            help_text="These can be signs of a problem a doctor should check first. Tick each "
            'one that applies, or "None of these".',
        ),
        "precautions": ChecklistField(
            questions.PRECAUTIONS,
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
            self.fields[questions.DOCTOR_CLEARED] = forms.BooleanField(
                required=False,
                label=(
                    "A doctor has checked the signs I ticked in this list since they began, "
                    "and said acupuncture is fine for me."
                ),
            )
        self.fields.update(_consent_fields(returning=self.returning))
        plain_required_messages(self)
        for name in CHECKLISTS:
            ticked = self.fields[name].ticked(initial or {})
            if ticked is not None:
                self.initial[name] = ticked
        if (initial or {}).get(questions.DOCTOR_CLEARED) == "yes":
            self.initial[questions.DOCTOR_CLEARED] = True
        self.helper = form_helper(*self.fieldsets())

    def fieldsets(self) -> list:
        raise NotImplementedError

    def screening_fieldsets(self) -> list:
        doctor = ["doctor_signs"]
        if self.returning:
            doctor.append(questions.DOCTOR_CLEARED)
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
            stored[questions.DOCTOR_CLEARED] = "yes" if stored[questions.DOCTOR_CLEARED] else "no"
        return stored


class NewPatientIntakeForm(IntakeForm):
    pain_areas = forms.MultipleChoiceField(
        label="Where does it hurt?",
        choices=questions.PAIN_AREAS,
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
        choices=questions.PAIN_DURATION,
        widget=forms.RadioSelect,
    )
    pain_onset = forms.ChoiceField(
        label="How did it start?", choices=questions.PAIN_ONSET, widget=forms.RadioSelect
    )
    worse = free_text("What makes it worse?", rows=3)
    better = free_text("What makes it better?", rows=3)
    earlier_treatments = forms.MultipleChoiceField(
        label="What have you tried already?",
        choices=questions.EARLIER_TREATMENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    medications = free_text("Medications and supplements you take", rows=3)
    allergies = free_text("Other allergies (to medicines, for example)", rows=2)
    surgeries = free_text("Surgeries or implants", rows=2)
    conditions = free_text("Other health conditions we should know about", rows=2)
    emergency_contact = forms.CharField(
        label="Emergency contact: name and phone (optional)", required=False, max_length=200
    )
    referral = forms.ChoiceField(
        label="How did you hear about us?", choices=questions.REFERRAL, required=False
    )

    def __init__(self, *args, source_known: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if source_known:  # the article the booking came from is recorded already
            del self.fields["referral"]
            self.helper = form_helper(*self.fieldsets())

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
    new_medications = free_text("Any new medications or supplements?", rows=2)

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
                    asked.setdefault(question.key, (question.text, dict(questions.YES_NO)))
            elif name not in NOT_STORED:
                choices = dict(getattr(field, "choices", []) or [])
                if isinstance(field, forms.BooleanField):
                    choices = dict(questions.YES_NO)
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
