"""What the intake asks and what its answers mean for booking (see shared notes on intake).

Pure data and small functions: the forms render these questions, the booking
steps and the booking service read the answers back through ``screening_flags`` and
``refusal_for``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

YES_NO = [("no", "No"), ("yes", "Yes")]

PAIN_AREAS = [
    ("neck", "Neck"),
    ("upper_back", "Upper back"),
    ("lower_back", "Lower back"),
    ("other", "Somewhere else"),
]

PAIN_DURATION = [
    ("under_6_weeks", "Less than 6 weeks"),
    ("6_to_12_weeks", "6 to 12 weeks"),
    ("over_3_months", "More than 3 months"),
]

PAIN_ONSET = [
    ("injury", "An injury (lifting, sport, a fall)"),
    ("accident", "An accident (for example a car accident)"),
    ("posture", "Posture or work (desk, driving, lifting at work)"),
    ("unknown", "It came on by itself / I don't know"),
]

EARLIER_TREATMENTS = [
    ("physiotherapy", "Physical therapy"),
    ("chiropractic", "Chiropractic"),
    ("massage", "Massage"),
    ("medication", "Pain medication"),
    ("injections", "Injections"),
    ("surgery", "Surgery"),
    ("acupuncture", "Acupuncture before"),
]

REFERRAL = [
    ("", "Choose one (optional)"),
    ("article", "An article on this website"),
    ("search", "A search engine"),
    ("doctor", "My doctor or physical therapist"),
    ("friend", "A friend or family member"),
    ("other", "Somewhere else"),
]

# Answers that the practitioner must know before treating: the flag shown on the
# appointment, and the question asked.
SCREENING = {
    "bleeding": (
        "Do you have a bleeding disorder, or take blood-thinning medication "
        "(such as warfarin, apixaban, rivaroxaban or daily aspirin)?"
    ),
    "implant": "Do you have a pacemaker or another implanted electrical device?",
    "pregnancy": "Are you pregnant, or could you be?",
    "fainting": (
        "Have you fainted with needles before, had seizures, or do you feel strong anxiety "
        "about needles?"
    ),
    "skin": "Do you have an infection or a skin condition where you would like treatment?",
}

# Answers that mean "see a doctor now", not "book acupuncture".
RED_FLAGS = {
    "bladder_bowel": (
        "Have you newly lost control of your bladder or bowels, or had trouble passing urine?"
    ),
    "saddle_numbness": "Do you have numbness around your groin, genitals or buttocks?",
    "weakness": "Is one or both of your legs or arms getting weaker?",
    "fever": "Do you have back or neck pain together with a fever or feeling generally unwell?",
    "cancer": "Have you had cancer, or lost weight recently without trying?",
    "trauma": "Did your pain start after a significant fall, accident or blow?",
}

FLAG_LABELS = {
    "bleeding": "Bleeding disorder or blood thinners",
    "implant": "Implanted electrical device: no electrical stimulation",
    "pregnancy": "Pregnant or possibly pregnant",
    "fainting": "Fainting with needles, seizures or needle anxiety",
    "skin": "Infection or skin condition at a treatment site",
}


def screening_flags(answers: dict) -> list[str]:
    """The screening questions answered "yes", in a fixed order."""
    return [key for key in SCREENING if answers.get(f"screen_{key}") == "yes"]


def has_red_flag(answers: dict) -> bool:
    return any(answers.get(f"red_{key}") == "yes" for key in RED_FLAGS)


def rules_out_electrical_stimulation(answers: dict) -> bool:
    return answers.get("screen_implant") == "yes"


class Offered(Protocol):
    """What the intake rules look at in a service (``booking.models.Service``)."""

    uses_electrical_stimulation: bool


class Refusal(StrEnum):
    """Why the answers rule a booking out; the value is what the patient reads."""

    SEE_A_DOCTOR = "Your answers need a doctor's attention before acupuncture."
    NO_ELECTRICAL = (
        "Sessions with electrical stimulation cannot be booked with a pacemaker or another "
        "implanted electrical device."
    )


def refusal_for(service: Offered | None, answers: dict) -> Refusal | None:
    """Why these answers rule out booking ``service``, or None when nothing does.

    A red flag comes first: it rules out any acupuncture, not one kind of session.
    """
    if has_red_flag(answers):
        return Refusal.SEE_A_DOCTOR
    if (
        service is not None
        and service.uses_electrical_stimulation
        and rules_out_electrical_stimulation(answers)
    ):
        return Refusal.NO_ELECTRICAL
    return None
