"""The screening questions as the intake form asks them: three short groups answered on the
health-questions page, and the detailed questions of a group on a second page only when
something in it applies.

Every patient reads every sign (each group lists them in a few plain words) and answers a
group with one tap; a patient who has something to report then ticks exactly which. The
answers are stored one "yes" or "no" per question whichever way they were given
(booking/intake.py reads them).
"""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.layout import HTML, Field, Fieldset
from django import forms
from django.utils.html import format_html, format_html_join

from .. import questions

SOME = "some"
GROUP_CHOICES = [(questions.NONE_OF_THESE, "None of these"), (SOME, "Yes, one or more of these")]
DETAILS_SHOWN = "details_shown"  # sent by the second page: the detailed questions were asked


class ChecklistField(forms.MultipleChoiceField):
    """Questions shown as one list: the patient ticks each that applies, or "None of these".

    An empty list is never taken for "no": the patient must tick something."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, asked, *, label: str, none_label: str = "None of these", **kwargs):
        self.questions = tuple(asked)
        super().__init__(
            label=label,
            choices=[(q.key, q.text) for q in self.questions]
            + [(questions.NONE_OF_THESE, none_label)],
            error_messages={"required": f'Tick each one that applies, or "{none_label}".'},
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


@dataclass(frozen=True)
class Group:
    """One group of the screening: ``name`` is its one-tap question on the first page,
    ``detail`` its checklist on the second."""

    name: str
    detail: str
    title: str
    question: str
    summary: tuple[str, ...]
    asked: tuple[questions.Question, ...]
    detail_question: str

    def summary_html(self) -> HTML:
        items = format_html_join("", "<li>{}</li>", ((line,) for line in self.summary))
        return HTML(
            format_html('<ul class="sign-summary" id="{}-summary">{}</ul>', self.name, items)
        )


NONE_AFTER_ALL = "None of these (I answered yes by mistake)"

GROUPS = (
    Group(
        name="emergency_signs",
        detail="emergency_detail",
        title="Signs that need emergency care",
        question="Do you have any of these now?",
        summary=(
            "since this pain began: new trouble passing urine or controlling your bowels, "
            "numbness around your groin, genitals or buttocks, or a change in sexual function",
            "arms or legs getting weaker over hours or days",
            "chest pain or pressure, or an ache in your jaw, neck, shoulder, arm or upper back, "
            "on effort or with breathlessness, sweating or sickness",
            "sudden tearing pain in your chest or back; throbbing pain in your belly and back",
            "a sudden, severe headache; sudden dizziness, double vision, slurred speech, "
            "trouble swallowing, falls, or numbness of the face or one side",
            "new one-sided neck pain and headache after a neck injury or manipulation; a "
            "drooping eyelid or a smaller pupil",
            "a fever with a stiff neck, confusion or drowsiness",
            "chest pain or trouble breathing after acupuncture",
        ),
        asked=questions.EMERGENCY_SIGNS,
        detail_question="Which of these do you have now?",
    ),
    Group(
        name="doctor_signs",
        detail="doctor_detail",
        title="Signs that need a doctor first",
        question="Do any of these apply to you?",
        summary=(
            "a fever, chills or night sweats; weight loss without trying; pain at night or "
            "at rest that nothing eases",
            "new or worse pain after treatment for cancer",
            "weakness or numbness getting worse over days or weeks; hands getting clumsy or "
            "walking getting unsteady, even slowly",
            "in the last 6 weeks: a fall, crash or blow, even a small one; sudden severe pain "
            "on lifting, bending or coughing; new mid-back pain",
            "a band of burning pain on one side, with or before a rash",
        ),
        asked=questions.DOCTOR_SIGNS_ASKED,
        detail_question="Which of these apply to you?",
    ),
    Group(
        name="precautions",
        detail="precautions_detail",
        title="Before acupuncture",
        question="Are any of these true for you?",
        summary=(
            "bleeding disorder or blood thinners; pacemaker or other implant; pregnancy; "
            "epilepsy; fainting with needles or fear of them",
            "diabetes, slow healing, numb skin or a skin problem where it hurts; lymphoedema",
            "weak immunity; a recent serious infection or spine procedure; injected drugs",
            "metal or latex allergy; asthma; long-term steroids; osteoporosis; past cancer; "
            "long morning stiffness",
        ),
        asked=questions.PRECAUTIONS,
        detail_question="Which of these are true for you?",
    ),
)
GROUP_BY_NAME = {group.name: group for group in GROUPS}
PREGNANCY_DETAIL = "pregnancy_detail"
DETAILS = (*(group.detail for group in GROUPS), PREGNANCY_DETAIL)


def group_fields() -> dict[str, forms.Field]:
    """The first page's three one-tap questions."""
    return {
        group.name: forms.ChoiceField(
            label=group.question,
            choices=GROUP_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": 'Please choose "None of these" or "Yes".'},
        )
        for group in GROUPS
    }


def detail_fields() -> dict[str, forms.Field]:
    """The second page's questions: each group's signs one by one, a doctor's clearance of
    tier-2 signs (tier 1 is never waived), and pregnancy's danger signs."""
    fields: dict[str, forms.Field] = {
        group.detail: ChecklistField(
            group.asked, label=group.detail_question, none_label=NONE_AFTER_ALL, required=False
        )
        for group in GROUPS
    }
    fields[questions.DOCTOR_CLEARED] = forms.BooleanField(
        required=False,
        label=(
            "A doctor has already examined me for the signs I ticked in this list, since they "
            "began, and said acupuncture is fine for me."
        ),
    )
    fields[questions.DOCTOR_CLEARED_DETAIL] = forms.CharField(
        required=False,
        max_length=500,
        label="If so: which sign did the doctor check, and roughly when?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fields[PREGNANCY_DETAIL] = ChecklistField(
        questions.PREGNANCY_SIGNS,
        label="If you are pregnant: do you have any of these now?",
        required=False,
    )
    return fields


def first_page_fieldsets() -> list:
    return [
        Fieldset(group.title, group.summary_html(), Field(group.name, wrapper_class="yes-none"))
        for group in GROUPS
    ]


def second_page_fieldsets(applying: list[Group]) -> list:
    fieldsets = []
    for group in applying:
        fields = [group.detail]
        if group.name == "doctor_signs":
            fields += [questions.DOCTOR_CLEARED, questions.DOCTOR_CLEARED_DETAIL]
        if group.name == "precautions":
            fields.append(PREGNANCY_DETAIL)
        fieldsets.append(Fieldset(group.title, *fields))
    return fieldsets
