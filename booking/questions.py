"""What the intake asks: the questions, their choices and the flags their answers raise.

Pure data, no database, no logic beyond naming: ``booking.intake`` decides what the answers
mean, the forms lay the questions out, and docs/clinical-screening.md gives the sources.
"""

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


def _sign(key: str, text: str, label: str, tier: Tier) -> Question:
    return Question(key=f"red_{key}", text=text, label=label, tier=tier)


def _precaution(key: str, text: str, label: str, *rules: Rule) -> Question:
    return Question(key=f"screen_{key}", text=text, label=label, rules=rules)


_E = Tier.EMERGENCY
_D = Tier.DOCTOR_SOON

# Tier 1: call 911 or go to the emergency department now.
EMERGENCY_SIGNS = (
    _sign(
        "bladder",
        "Since this pain began: new trouble passing urine, or not feeling when your "
        "bladder is full, or leaking urine",
        "New bladder problem",
        _E,
    ),
    _sign(
        "bowel",
        "Since this pain began: new loss of control of your bowels",
        "New loss of bowel control",
        _E,
    ),
    _sign(
        "saddle_numbness",
        "Since this pain began: new numbness around your groin, genitals, buttocks or inner thighs",
        "Saddle numbness",
        _E,
    ),
    _sign(
        "sexual_function",
        "Since this pain began: new changes in sexual function, such as numbness",
        "New change in sexual function",
        _E,
    ),
    _sign(
        "weakness",
        "Your legs or arms are getting weaker, over hours or days",
        "Quickly worsening weakness",
        _E,
    ),
    _sign(
        "sudden_headache",
        "With your neck pain: a sudden, severe headache unlike any you have had before",
        "Sudden severe headache",
        _E,
    ),
    _sign(
        "stroke_signs",
        "With your neck pain: sudden dizziness, double vision, slurred speech, trouble "
        "swallowing, sudden falls, or numbness in your face or one side of your body",
        "Stroke or artery signs",
        _E,
    ),
    _sign(
        "meningitis",
        "A fever with a headache and a stiff neck",
        "Fever, headache and stiff neck",
        _E,
    ),
    _sign(
        "chest_after_treatment",
        "Chest pain or trouble breathing that started after an acupuncture treatment",
        "Chest pain or breathlessness after treatment",
        _E,
    ),
)

# Tier 2: see your doctor within 24 hours, before acupuncture. A returning patient whose
# doctor has checked the sign since it began may say so: the booking then goes through,
# flagged ``doctor_cleared``.
DOCTOR_SIGNS = (
    _sign(
        "fever",
        "A fever, chills or night sweats along with your back or neck pain",
        "Fever, chills or night sweats",
        _D,
    ),
    _sign(
        "cancer_pain",
        "You have been treated for cancer (not a minor skin cancer), and this pain is new "
        "or getting worse",
        "New or worse pain after cancer",
        _D,
    ),
    _sign(
        "weight_loss",
        "In the last 6 months: you lost weight without trying",
        "Weight loss without trying",
        _D,
    ),
    _sign(
        "night_pain",
        "Pain at night or at rest that nothing eases, not even lying still",
        "Night or rest pain",
        _D,
    ),
    _sign(
        "clumsy_hands",
        "In the last few months: your hands have become clumsy (trouble with buttons or writing)",
        "Clumsy hands",
        _D,
    ),
    _sign(
        "unsteady_walking",
        "In the last few months: your walking has become unsteady",
        "Unsteady walking",
        _D,
    ),
    _sign(
        "recent_trauma",
        "In the last 6 weeks: a fall, crash or hard blow started or worsened this pain",
        "Fall, crash or blow in the last 6 weeks",
        _D,
    ),
    _sign(
        "mid_back",
        "New pain in the middle of your back (between or below your shoulder blades) that "
        "began in the last 6 weeks",
        "New mid-back pain",
        _D,
    ),
)

# Not a stop in itself: a small fall is one when it comes with thin bones, long-term
# steroids or age 65 or over (see ``urgency``).
MINOR_FALL = _sign(
    "minor_fall",
    "In the last 6 weeks: a small fall or bump, such as a stumble or a fall from standing",
    "Small fall in the last 6 weeks",
    _D,
)

# Precautions: the practitioner must know; some rule a treatment out.
PRECAUTIONS = (
    _precaution(
        "bleeding_disorder",
        "A bleeding disorder, such as hemophilia",
        "Bleeding disorder",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "blood_thinners",
        "You take a blood thinner: warfarin, apixaban (Eliquis), rivaroxaban (Xarelto), "
        "dabigatran, edoxaban, clopidogrel (Plavix), heparin or enoxaparin shots, or a daily "
        "aspirin",
        "Blood thinners",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "implant",
        "A pacemaker, defibrillator (ICD), spinal cord or nerve stimulator, deep brain "
        "stimulator, cochlear implant or implanted pump",
        "Implanted electrical device",
        Rule.NO_ELECTRICAL,
    ),
    _precaution(
        "pregnancy",
        "You are pregnant, or could be",
        "Pregnant or possibly pregnant",
        Rule.NO_ELECTRICAL,
        Rule.NO_MOXIBUSTION,
    ),
    _precaution(
        "seizures",
        "Epilepsy or seizures",
        "Epilepsy or seizures",
        Rule.NO_ELECTRICAL,
        Rule.NOT_LEFT_ALONE,
    ),
    _precaution(
        "fainted",
        "You have fainted with needles or injections before",
        "Fainted with needles before",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "needle_anxiety",
        "Strong fear of needles",
        "Strong needle anxiety",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution("diabetes", "Diabetes", "Diabetes", Rule.CHECK_WITH_PATIENT),
    _precaution(
        "slow_healing",
        "Cuts or scrapes take much longer than usual to heal",
        "Slow healing",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "numb_skin",
        "An area of skin where you feel less than normal",
        "Reduced feeling in the skin",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "weak_immunity",
        "A weakened immune system, for example from chemotherapy, biologic drugs, an organ "
        "transplant or HIV",
        "Weakened immunity",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "lymphoedema",
        "Lymphoedema (long-lasting swelling of an arm or leg), or lymph nodes removed",
        "Lymphoedema or lymph nodes removed",
        Rule.LIMB_NOT_NEEDLED,
    ),
    _precaution(
        "metal_allergy",
        "An allergy to metals, such as nickel",
        "Metal allergy",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution("latex_allergy", "An allergy to latex", "Latex allergy", Rule.CHECK_WITH_PATIENT),
    _precaution(
        "skin",
        "A rash, wound, infection or other skin problem on or near where it hurts",
        "Skin problem near the treatment area",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "asthma",
        "Asthma, or smoke makes you short of breath",
        "Asthma or smoke sensitivity",
        Rule.NO_MOXIBUSTION,
    ),
    _precaution(
        "steroids",
        "You have taken steroid tablets (such as prednisone) for more than 3 months",
        "Long-term steroids",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "osteoporosis",
        "Osteoporosis (thin bones)",
        "Osteoporosis",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "iv_drugs",
        "In the last year: you injected drugs that a doctor did not prescribe",
        "Injected drug use",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "recent_infection",
        "In the last 3 months: a serious infection, such as a kidney, skin or blood infection",
        "Recent serious infection",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "spinal_procedure",
        "In the last 3 months: surgery or an injection in your spine",
        "Recent spinal surgery or injection",
        Rule.CHECK_WITH_PATIENT,
    ),
)

DOCTOR_SIGNS_ASKED = (*DOCTOR_SIGNS, MINOR_FALL)
QUESTIONS = {q.key: q for q in (*EMERGENCY_SIGNS, *DOCTOR_SIGNS_ASKED, *PRECAUTIONS)}

# Answer keys that are not a question of their own.
DOCTOR_CLEARED = "doctor_cleared"  # "a doctor has checked the signs I ticked": returning only

# Flags worked out from several answers, and the flag for a doctor's clearance.
AGE_50_RECENT_PAIN = "age_50_recent_pain"
MINOR_FALL_FLAG = "minor_fall"
RULE_OVERRIDE = "rule_override"
DERIVED_FLAGS = {
    DOCTOR_CLEARED: (
        "Warning sign a doctor has checked (as the patient reports): read the answers first",
        (Rule.CHECK_WITH_PATIENT,),
    ),
    AGE_50_RECENT_PAIN: ("Aged 50 or over with pain under 6 weeks", (Rule.CHECK_WITH_PATIENT,)),
    MINOR_FALL_FLAG: ("Small fall in the last 6 weeks", (Rule.CHECK_WITH_PATIENT,)),
    RULE_OVERRIDE: (
        "Booked by a practitioner despite a rule (their reason is in the notes)",
        (Rule.CHECK_WITH_PATIENT,),
    ),
}

# Flags stored by an earlier version of the intake, still on older appointments (it asked
# about fainting, seizures and needle anxiety in one question, and about bleeding disorders
# and blood thinners in another).
LEGACY_FLAGS = {
    "bleeding": ("Bleeding disorder or blood thinners", (Rule.CHECK_WITH_PATIENT,)),
    "fainting": ("Fainting with needles, seizures or needle anxiety", (Rule.CHECK_WITH_PATIENT,)),
}

FLAG_LABELS = {
    **{q.key.removeprefix("screen_"): q.label for q in PRECAUTIONS},
    **{key: label for key, (label, _) in DERIVED_FLAGS.items()},
    **{key: label for key, (label, _) in LEGACY_FLAGS.items()},
}
FLAG_RULES = {
    **{q.key.removeprefix("screen_"): q.rules for q in PRECAUTIONS},
    **{key: rules for key, (_, rules) in DERIVED_FLAGS.items()},
    **{key: rules for key, (_, rules) in LEGACY_FLAGS.items()},
}
