"""The health questions' forms (new and returning patient), and how stored answers read back."""

from crispy_forms.layout import Field, Fieldset
from django import forms

from practice.single_line import SingleLineFields

from .. import questions
from .consent import CONSENT_BOXES, CONSENT_TEXT, consent_fields
from .layout import Disclosure, form_helper, free_text, plain_required_messages
from .screening import (
    DETAILS,
    DETAILS_SHOWN,
    GROUPS,
    PREGNANCY_DETAIL,
    SOME,
    ChecklistField,
    Group,
    detail_fields,
    first_page_fieldsets,
    group_fields,
    second_page_fieldsets,
)

CHECKLISTS = tuple(group.name for group in GROUPS)
NOT_STORED = {*CONSENT_BOXES, *CHECKLISTS, *DETAILS}
SECOND_PAGE_FIELDS = {*DETAILS, questions.DOCTOR_CLEARED, questions.DOCTOR_CLEARED_DETAIL}


class IntakeForm(SingleLineFields, forms.Form):
    """The questions every intake asks (warning signs, precautions, consent) and the layout.

    The screening comes in two pages (booking/forms/screening.py): three one-tap groups on
    the first, the detailed questions of a group that applies on the second, which sends
    the first page's answers along unseen. ``initial`` and ``answers()`` speak the stored
    form of the answers (one "yes" or "no" per question, see booking/intake.py)."""

    returning = False

    def __init__(self, *args, initial=None, consent: bool = True, **kwargs):
        """``consent=False``: the online booking, which asks for consent on its summary
        (booking/forms/consent.py); the questions answered through a phone booking's link
        end with it."""
        super().__init__(*args, initial=initial, **kwargs)
        self.consent = consent
        self.fields.update(group_fields())
        self.fields.update(detail_fields())
        if consent:
            self.fields.update(consent_fields(returning=self.returning))
        plain_required_messages(self)
        stored = initial or {}
        for group in GROUPS:
            ticked = self.fields[group.detail].ticked(stored)
            if ticked is not None:
                self.initial[group.detail] = ticked
                none = ticked == [questions.NONE_OF_THESE]
                self.initial[group.name] = questions.NONE_OF_THESE if none else SOME
        pregnancy = self.fields[PREGNANCY_DETAIL].ticked(stored)
        if pregnancy is not None:
            self.initial[PREGNANCY_DETAIL] = pregnancy
        if stored.get(questions.DOCTOR_CLEARED) in ("yes", True, "on"):
            self.initial[questions.DOCTOR_CLEARED] = True
        self.helper = form_helper(*self.fieldsets())

    @property
    def second_page(self) -> bool:
        """Whether the detailed questions were on the page that sent this form."""
        return self.is_bound and DETAILS_SHOWN in self.data

    def fieldsets(self) -> list:
        raise NotImplementedError

    def closing(self, *extra: str) -> list:
        """The end of the page: the consent where this page asks for it, and ``extra``."""
        if self.consent:
            boxes = consent_fields(returning=self.returning)
            return [Fieldset("Consent", CONSENT_TEXT, *boxes, *extra)]
        return list(extra)

    def applying(self) -> list[Group]:
        """The groups answered "Yes", from what was sent (or the initial answers)."""
        source = self.cleaned_data if hasattr(self, "cleaned_data") else self.initial
        return [group for group in GROUPS if source.get(group.name) == SOME]

    def needs_details(self) -> bool:
        """A valid first page with a group answered "Yes": the second page comes next."""
        return not self.second_page and bool(self.applying())

    def details_helper(self):
        return form_helper(*second_page_fieldsets(self.applying()))

    def carried(self) -> list[tuple[str, str]]:
        """The first page's answers as sent, carried unseen by the second page."""
        pairs = []
        for name, field in self.fields.items():
            if name in SECOND_PAGE_FIELDS:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                pairs.extend((name, value) for value in self.data.getlist(name))
            elif name in self.data:
                pairs.append((name, self.data.get(name)))
        return pairs

    def details_carried(self) -> list[tuple[str, str]]:
        """On the first page, the detailed answers already given (going back from the stop
        page, or to the questions from the summary), carried unseen so that the second
        page shows them ticked; a group answered "None of these" ignores them."""
        if self.is_bound:
            return [
                (name, value) for name in SECOND_PAGE_FIELDS for value in self.data.getlist(name)
            ]
        pairs = []
        for name in sorted(SECOND_PAGE_FIELDS):
            value = self.initial.get(name)
            if isinstance(value, list):
                pairs.extend((name, v) for v in value if v != questions.NONE_OF_THESE)
            elif value is True:
                pairs.append((name, "on"))
            elif value:
                pairs.append((name, value))
        return pairs

    def clean(self):
        cleaned = super().clean()
        if not self.second_page:
            return cleaned
        for group in GROUPS:
            if cleaned.get(group.name) == SOME and not cleaned.get(group.detail):
                self.add_error(group.detail, self.fields[group.detail].error_messages["required"])
        pregnant = "screen_pregnancy" in (cleaned.get("precautions_detail") or [])
        if pregnant and not cleaned.get(PREGNANCY_DETAIL):
            self.add_error(
                PREGNANCY_DETAIL,
                'You are pregnant or could be: tick each one that applies, or "None of these".',
            )
        if (
            cleaned.get(questions.DOCTOR_CLEARED)
            and not cleaned.get(questions.DOCTOR_CLEARED_DETAIL, "").strip()
        ):
            self.add_error(
                questions.DOCTOR_CLEARED_DETAIL,
                "Tell us which sign the doctor checked, and roughly when.",
            )
        return cleaned

    def answers(self) -> dict:
        """What is stored of a valid form: every answer but the consent boxes, and one
        "yes" or "no" per screening question (a group answered "None of these" is a "no"
        to each of its questions)."""
        cleaned = self.cleaned_data
        stored = {k: v for k, v in cleaned.items() if k not in NOT_STORED}
        for group in GROUPS:
            ticked = cleaned.get(group.detail) or [] if cleaned[group.name] == SOME else []
            stored.update(self.fields[group.detail].answers(ticked))
        pregnant = stored.get("screen_pregnancy") == "yes"
        danger = cleaned.get(PREGNANCY_DETAIL) or [] if pregnant else []
        stored.update(self.fields[PREGNANCY_DETAIL].answers(danger))
        stored.update(_doctor_clearance(stored))
        return stored


def _doctor_clearance(stored: dict) -> dict:
    """The clearance kept only where a sign it can clear was given; its detail trimmed."""
    cleared = bool(stored[questions.DOCTOR_CLEARED]) and any(
        stored[q.key] == "yes" for q in questions.DOCTOR_SIGNS_ASKED
    )
    detail = stored[questions.DOCTOR_CLEARED_DETAIL].strip() if cleared else ""
    return {
        questions.DOCTOR_CLEARED: "yes" if cleared else "no",
        questions.DOCTOR_CLEARED_DETAIL: detail,
    }


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
    worse = free_text("What makes it worse?", rows=2)
    better = free_text("What makes it better?", rows=2)
    earlier_treatments = forms.MultipleChoiceField(
        label="What have you tried already?",
        choices=questions.EARLIER_TREATMENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    medications = free_text("Medications and supplements you take", rows=1)
    allergies = free_text("Other allergies (to medicines, for example)", rows=1)
    surgeries = free_text("Surgeries or implants", rows=1)
    conditions = free_text("Other health conditions", rows=1)
    emergency_contact = forms.CharField(
        label="Emergency contact: name, phone (optional)", required=False, max_length=200
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
        return [
            Fieldset(
                "Your pain",
                Field("pain_areas", wrapper_class="choices-2"),
                Field("pain_score", wrapper_class="scale"),
                Field("pain_duration", wrapper_class="choices-2 choices-stack"),
                Field("pain_onset", wrapper_class="choices-2"),
                # Optional, and asked again in person: folded so that a patient with
                # nothing to add scrolls past in one line (issue 27).
                Disclosure(
                    "More about your pain (optional)",
                    "pain_elsewhere",
                    "worse",
                    "better",
                    Field("earlier_treatments", wrapper_class="choices-2"),
                ),
            ),
            Disclosure(
                "Your health and medicines (optional)",
                "medications",
                "allergies",
                "surgeries",
                "conditions",
                "emergency_contact",
                css_class="optional-questions--box",
            ),
            *first_page_fieldsets(),
            *self.closing(*[name for name in ["referral"] if name in self.fields]),
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
            *first_page_fieldsets(),
            *self.closing(),
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
