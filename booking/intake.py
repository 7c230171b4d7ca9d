"""What each intake answer does (docs/clinical-screening.md has the sources).

Small pure functions, no database, over the questions in ``booking.questions``: the forms
render those as three checklists (signs that need the emergency department, signs that need
a doctor first, precautions for the practitioner), and the booking steps, the booking service
and the staff screens read the answers back through ``urgency``, ``refusal_for``,
``screening_flags`` and ``rules_for``.

Answers are stored one per question, ``"<key>": "yes" | "no"``, so that a stored intake
reads the same whichever way the form lays the questions out.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Protocol

from practice.seek_care import Tier

from .questions import (
    AGE_50_RECENT_PAIN,
    DOCTOR_CLEARED,
    DOCTOR_SIGNS,
    EMERGENCY_SIGNS,
    FLAG_RULES,
    FRAGILITY_SIGNS,
    MINOR_FALL,
    MINOR_FALL_FLAG,
    PRECAUTIONS,
    PREGNANCY_SIGNS,
    QUESTIONS,
    SUDDEN_STRAIN,
    SUDDEN_STRAIN_FLAG,
    Question,
    Rule,
)

# A fragility sign's flag when it is not a warning sign (no thin bones, steroids or age).
_FRAGILITY_FLAGS = {MINOR_FALL.key: MINOR_FALL_FLAG, SUDDEN_STRAIN.key: SUDDEN_STRAIN_FLAG}


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _yes(answers: dict, question: Question) -> bool:
    return answers.get(question.key) == "yes"


def _fragile(answers: dict, age: int | None) -> bool:
    """Bones that may break without a real fall: age 65 or over, long-term steroids or
    osteoporosis."""
    return (age is not None and age >= 65) or any(
        answers.get(f"screen_{key}") == "yes" for key in ("steroids", "osteoporosis")
    )


def doctor_signs_given(answers: dict, age: int | None = None) -> list[Question]:
    """The tier-2 signs these answers report (a small fall, or sudden pain on lifting,
    only when it comes with fragile bones)."""
    given = [q for q in DOCTOR_SIGNS if _yes(answers, q)]
    if _fragile(answers, age):
        given.extend(q for q in FRAGILITY_SIGNS if _yes(answers, q))
    return given


def emergency_signs_given(answers: dict) -> list[Question]:
    """The tier-1 signs these answers report, pregnancy's danger signs among them."""
    return [q for q in (*EMERGENCY_SIGNS, *PREGNANCY_SIGNS) if _yes(answers, q)]


def pregnancy_emergency(answers: dict) -> bool:
    """A danger sign in pregnancy: the stop page sends the patient to their maternity unit
    (or 911) rather than to the emergency department alone."""
    return any(_yes(answers, q) for q in PREGNANCY_SIGNS)


def urgency(answers: dict, age: int | None = None) -> Tier | None:
    """Where these answers send the patient instead of booking, or None.

    Any tier-1 sign: the emergency department now, whatever else was answered. A tier-2
    sign: their doctor within 24 hours, unless they say a doctor has already examined it
    since it began, in which case the booking is flagged (tier 1 is never waived).
    """
    if emergency_signs_given(answers):
        return Tier.EMERGENCY
    if doctor_signs_given(answers, age) and answers.get(DOCTOR_CLEARED) != "yes":
        return Tier.DOCTOR_SOON
    return None


def screening_flags(answers: dict, age: int | None = None) -> list[str]:
    """What the practitioner must see before treating, in a fixed order (stored on the
    appointment: keys of ``FLAG_LABELS``, never the answers themselves)."""
    flags = [q.key.removeprefix("screen_") for q in PRECAUTIONS if _yes(answers, q)]
    if not _fragile(answers, age):
        flags.extend(_FRAGILITY_FLAGS[q.key] for q in FRAGILITY_SIGNS if _yes(answers, q))
    if _cleared_by_a_doctor(answers, age):
        flags.append(DOCTOR_CLEARED)
    if _new_pain_at_fifty_or_over(answers, age):
        flags.append(AGE_50_RECENT_PAIN)
    return flags


def _cleared_by_a_doctor(answers: dict, age: int | None) -> bool:
    """A tier-2 sign given, and a doctor has already checked it (never a tier-1 one)."""
    return doctor_signs_given(answers, age) and answers.get(DOCTOR_CLEARED) == "yes"


def _new_pain_at_fifty_or_over(answers: dict, age: int | None) -> bool:
    return age is not None and age >= 50 and answers.get("pain_duration") == "under_6_weeks"


def rules_for(flags: list[str]) -> list[Rule]:
    """The rules the flags set, each once, in ``Rule``'s order: what front desk may see."""
    found = {rule for flag in flags for rule in FLAG_RULES.get(flag, (Rule.CHECK_WITH_PATIENT,))}
    return [rule for rule in Rule if rule in found]


def precautions_for(flags: list[str]) -> list[str]:
    """What of ``flags`` stays in plain text beside the patient's name: the names of the
    rules they set ("check_with_patient", "no_electrical", ...), which the schedule filters
    and shows; never the flags ("pregnancy", "iv_drugs"), which are encrypted."""
    return [rule.name.lower() for rule in rules_for(flags)]


def rules_from_precautions(precautions: list[str]) -> list[Rule]:
    """The rules ``precautions_for`` named, in ``Rule``'s order; a name no longer known
    reads as "check with the patient", the safe side."""
    names = {name.upper() for name in precautions}
    found = {Rule[name] if name in Rule.__members__ else Rule.CHECK_WITH_PATIENT for name in names}
    return [rule for rule in Rule if rule in found]


def flags_rule_out_electrical_stimulation(flags: list[str]) -> bool:
    return Rule.NO_ELECTRICAL in rules_for(flags)


def rules_out_electrical_stimulation(answers: dict) -> bool:
    return flags_rule_out_electrical_stimulation(screening_flags(answers))


class Offered(Protocol):
    """What the intake rules look at in a service (``booking.models.Service``)."""

    uses_electrical_stimulation: bool


class Refusal(StrEnum):
    """Why the answers rule a booking out; the value is what the patient reads."""

    EMERGENCY = "Your answers include a sign that needs emergency care now, not acupuncture."
    SEE_A_DOCTOR = "Your answers need a doctor's attention before acupuncture."
    NO_ELECTRICAL = (
        "Sessions with electrical stimulation cannot be booked with an implanted electrical "
        "device, in pregnancy or with epilepsy or seizures."
    )


def refusal_for(service: Offered | None, answers: dict, age: int | None = None) -> Refusal | None:
    """Why these answers rule out booking ``service``, or None when nothing does.

    A warning sign comes first: it rules out any acupuncture, not one kind of session.
    """
    match urgency(answers, age):
        case Tier.EMERGENCY:
            return Refusal.EMERGENCY
        case Tier.DOCTOR_SOON:
            return Refusal.SEE_A_DOCTOR
    if (
        service is not None
        and service.uses_electrical_stimulation
        and rules_out_electrical_stimulation(answers)
    ):
        return Refusal.NO_ELECTRICAL
    return None


def no_answers() -> dict:
    """Every question answered "no": what a patient with nothing to report gives."""
    return dict.fromkeys(QUESTIONS, "no")
