"""When to get medical care instead of acupuncture: the two tiers, written once.

Every "when to see a doctor" box (articles, the FAQ, the medical disclaimer) and the
booking's stop page render these words through ``templates/includes/seek_care.html``
(the ``{% seek_care %}`` tag, or the "When to see a doctor" block of a page body), so
no page writes a list of its own that could disagree. Sources of the signs: the NHS/GIRFT
suspected cauda equina pathway (2023); the IFOMPT cervical framework (Rushton et al., JOSPT
2023;53(1):7-22) for artery and stroke-like signs; NICE NG240 (2024) for meningitis; NICE
NG234 (2023) and Henschke et al. (Cochrane 2013, CD008686) for cancer; Davies et al. (BMJ
2018;360:k186) for cervical myelopathy; Han et al. (Cochrane 2023, CD014461) for fractures;
the 2021 AHA/ACC chest pain guideline (Gulati et al., Circulation 2021;144:e368) for the
heart; the 2022 ACC/AHA aortic disease guideline (Isselbacher et al., Circulation
2022;146:e334) for the aorta; NICE NG25, NICE NG133 and RCOG Green-top 57 for pregnancy; NICE
CKS for shingles. docs/clinical-screening.md has each sign's source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    EMERGENCY = "emergency"
    DOCTOR_SOON = "doctor"


@dataclass(frozen=True)
class CareTier:
    tier: Tier
    title: str
    lead: str
    signs: tuple[str, ...]


EMERGENCY = CareTier(
    tier=Tier.EMERGENCY,
    title="Call 911 or go to the emergency department now",
    lead="Do not wait for an appointment if you have any of these:",
    signs=(
        "new trouble controlling your bladder or bowels, or passing urine, since the pain began",
        "new numbness around your groin, genitals, buttocks or inner thighs",
        "new changes in sexual function, such as numbness during sex",
        "legs or arms getting weaker quickly",
        "chest pain, pressure or tightness, or an ache in the jaw, neck, shoulder, arm or "
        "upper back, that comes on with effort or with breathlessness, sweating or feeling sick",
        "sudden, severe, tearing pain in the chest or back or between the shoulder blades, or "
        "a throbbing, pulsing pain in the belly and back",
        "a sudden, severe headache unlike any before, dizziness, double vision, slurred "
        "speech, trouble swallowing, sudden falls, or numbness of the face or one side of the "
        "body",
        "new pain on one side of the neck with a new kind of headache after a neck injury or "
        "manipulation, or a new drooping eyelid",
        "a fever with a headache and a stiff neck, or with confusion or drowsiness",
        "chest pain or trouble breathing after an acupuncture treatment, even hours later",
        "in pregnancy: regular tightening or a backache that comes and goes, bleeding, "
        "leaking fluid, fewer baby movements, or a severe headache or blurred vision (call "
        "your maternity unit or 911)",
    ),
)

DOCTOR_SOON = CareTier(
    tier=Tier.DOCTOR_SOON,
    title="See your doctor within 24 hours, before acupuncture",
    lead="Ask your doctor to check you first if you have any of these:",
    signs=(
        "a fever, chills or night sweats with your back or neck pain",
        "new or worsening back or neck pain after treatment for cancer (other than a minor "
        "skin cancer)",
        "weight loss you cannot explain",
        "pain at night or at rest that nothing eases",
        "weakness or numbness in an arm or leg that is getting worse over days or weeks",
        "clumsy hands (trouble with buttons or writing) or unsteady walking, even if it came "
        "on slowly",
        "a fall, crash or blow in the last few weeks, or even a small fall or sudden pain on "
        "lifting or coughing if you are over 65, take steroid tablets long term or have thin "
        "bones (osteoporosis)",
        "new pain in the middle of your back",
        "a band of burning pain on one side of the body, with or before a rash",
    ),
)

TIERS = (EMERGENCY, DOCTOR_SOON)


def tiers(only: str | None = None) -> tuple[CareTier, ...]:
    """Both tiers, or the one named (``"emergency"`` or ``"doctor"``)."""
    if only is None:
        return TIERS
    return tuple(t for t in TIERS if t.tier == Tier(only))
