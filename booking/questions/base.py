"""The shapes the intake's questions take: a question, the rules a flag sets, the choices of
the questions about the pain itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from practice.seek_care import Tier

YES_NO = [("no", "No"), ("yes", "Yes")]
NONE_OF_THESE = "none"

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
    ("accident", "An accident (a car accident, for example)"),
    ("posture", "Posture or work (desk, driving, lifting)"),
    ("unknown", "By itself, or I don't know"),
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


class Rule(StrEnum):
    """What a flag changes about the treatment; the value is what staff read.

    Front desk sees these, never the answer behind them."""

    NO_ELECTRICAL = "No electrical stimulation"
    NO_MOXIBUSTION = "No moxibustion or smoke"
    NOT_LEFT_ALONE = "Not left alone with needles in"
    LIMB_NOT_NEEDLED = "Ask which arm or leg must not be needled"
    CHECK_WITH_PATIENT = "Practitioner checks with the patient before treating"


@dataclass(frozen=True)
class Question:
    """One thing asked. ``text`` is what the patient ticks; ``label`` what the practitioner
    reads on the appointment; ``tier`` says where a "yes" sends the patient."""

    key: str
    text: str
    label: str
    tier: Tier | None = None
    rules: tuple[Rule, ...] = ()


def sign(key: str, text: str, label: str, tier: Tier) -> Question:
    return Question(key=f"red_{key}", text=text, label=label, tier=tier)


def precaution(key: str, text: str, label: str, *rules: Rule) -> Question:
    return Question(key=f"screen_{key}", text=text, label=label, rules=rules)
