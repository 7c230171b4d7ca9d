"""What the intake asks: the questions, their choices and the flags their answers raise.

Pure data, no database, no logic beyond naming: ``booking.intake`` decides what the answers
mean, the forms lay the questions out, and docs/clinical-screening.md gives the sources.
"""

from __future__ import annotations

from .base import (
    EARLIER_TREATMENTS,
    NONE_OF_THESE,
    PAIN_AREAS,
    PAIN_DURATION,
    PAIN_ONSET,
    REFERRAL,
    YES_NO,
    Question,
    Rule,
)
from .precautions import PRECAUTIONS
from .signs import (
    DOCTOR_SIGNS,
    EMERGENCY_SIGNS,
    FRAGILITY_SIGNS,
    MINOR_FALL,
    PREGNANCY_SIGNS,
    SUDDEN_STRAIN,
)

DOCTOR_SIGNS_ASKED = (*DOCTOR_SIGNS, *FRAGILITY_SIGNS)
QUESTIONS = {
    q.key: q for q in (*EMERGENCY_SIGNS, *DOCTOR_SIGNS_ASKED, *PRECAUTIONS, *PREGNANCY_SIGNS)
}

# Answer keys that are not a question of their own.
DOCTOR_CLEARED = "doctor_cleared"  # "a doctor has already examined the signs I ticked"
DOCTOR_CLEARED_DETAIL = "doctor_cleared_detail"  # which sign, and roughly when

# Flags worked out from several answers, and the flag for a doctor's clearance.
AGE_50_RECENT_PAIN = "age_50_recent_pain"
MINOR_FALL_FLAG = "minor_fall"
SUDDEN_STRAIN_FLAG = "sudden_strain"
RULE_OVERRIDE = "rule_override"
DERIVED_FLAGS = {
    DOCTOR_CLEARED: (
        "Warning sign a doctor has checked (as the patient reports): read the answers first",
        (Rule.CHECK_WITH_PATIENT,),
    ),
    AGE_50_RECENT_PAIN: ("Aged 50 or over with pain under 6 weeks", (Rule.CHECK_WITH_PATIENT,)),
    MINOR_FALL_FLAG: ("Small fall in the last 6 weeks", (Rule.CHECK_WITH_PATIENT,)),
    SUDDEN_STRAIN_FLAG: (
        "Sudden severe back pain on lifting, bending or coughing in the last 6 weeks",
        (Rule.CHECK_WITH_PATIENT,),
    ),
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

__all__ = [
    "AGE_50_RECENT_PAIN",
    "DERIVED_FLAGS",
    "DOCTOR_CLEARED",
    "DOCTOR_CLEARED_DETAIL",
    "DOCTOR_SIGNS",
    "DOCTOR_SIGNS_ASKED",
    "EARLIER_TREATMENTS",
    "EMERGENCY_SIGNS",
    "FLAG_LABELS",
    "FLAG_RULES",
    "FRAGILITY_SIGNS",
    "LEGACY_FLAGS",
    "MINOR_FALL",
    "MINOR_FALL_FLAG",
    "NONE_OF_THESE",
    "PAIN_AREAS",
    "PAIN_DURATION",
    "PAIN_ONSET",
    "PRECAUTIONS",
    "PREGNANCY_SIGNS",
    "QUESTIONS",
    "REFERRAL",
    "RULE_OVERRIDE",
    "SUDDEN_STRAIN",
    "SUDDEN_STRAIN_FLAG",
    "YES_NO",
    "Question",
    "Rule",
]
