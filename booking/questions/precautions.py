"""Precautions: what the practitioner must know before treating; some rule a treatment out.

None of them stops a booking (docs/clinical-screening.md has the sources)."""

from __future__ import annotations

from .base import Rule
from .base import precaution as _precaution

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
    _precaution(
        "inflammatory",
        "Your back is stiff for more than 30 minutes after you get up, and it eases when you "
        "move, not when you rest",
        "Inflammatory back pain pattern (long morning stiffness)",
        Rule.CHECK_WITH_PATIENT,
    ),
    _precaution(
        "cancer_history",
        "You have been treated for cancer in the past (not a minor skin cancer)",
        "Past cancer",
        Rule.CHECK_WITH_PATIENT,
    ),
)
