"""Warning signs: what sends a patient to urgent care instead of a booking.

Tier 1 (call 911 or go to the emergency department now) and tier 2 (see a doctor within 24
hours, before acupuncture), the spinal red flags and the conditions that present as back or
neck pain (heart, aorta, neck artery, pregnancy, fracture without a fall, shingles,
infection). One thing a question, in the patient's words; docs/clinical-screening.md gives
each its source.
"""

from __future__ import annotations

from practice.seek_care import Tier

from .base import sign as _sign

_E = Tier.EMERGENCY
_D = Tier.DOCTOR_SOON

# Tier 1: call 911 or go to the emergency department now. Never waived online.
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
        "heart_effort",
        "Pain, pressure or tightness in your chest, or an ache in your jaw, neck, shoulder, "
        "arm or upper back, that comes on when you walk, climb or exert yourself",
        "Chest pain or ache on effort",
        _E,
    ),
    _sign(
        "heart_with",
        "Pain, pressure or tightness in your chest, or an ache in your jaw, neck, shoulder, "
        "arm or upper back, with breathlessness, sweating or feeling sick",
        "Chest pain or ache with breathlessness, sweating or sickness",
        _E,
    ),
    _sign(
        "tearing_pain",
        "Sudden, severe pain in your chest or back, or between your shoulder blades, that "
        "feels tearing or ripping",
        "Sudden tearing chest or back pain",
        _E,
    ),
    _sign(
        "pulsing_belly",
        "A throbbing or pulsing pain in your belly and back",
        "Throbbing or pulsing belly and back pain",
        _E,
    ),
    _sign(
        "sudden_headache",
        "A sudden, severe headache unlike any you have had before",
        "Sudden severe headache",
        _E,
    ),
    _sign(
        "stroke_signs",
        "Sudden dizziness, double vision, slurred speech, trouble swallowing, sudden falls, "
        "or numbness in your face or one side of your body",
        "Stroke signs",
        _E,
    ),
    _sign(
        "neck_artery",
        "After a neck injury or a neck manipulation: new pain on one side of your neck, with "
        "a kind of headache you have not had before",
        "New one-sided neck pain and headache after neck injury or manipulation",
        _E,
    ),
    _sign(
        "eyelid",
        "A new drooping eyelid, or one pupil that has become smaller than the other",
        "New drooping eyelid or small pupil",
        _E,
    ),
    _sign(
        "meningitis",
        "A fever with a headache and a stiff neck",
        "Fever, headache and stiff neck",
        _E,
    ),
    _sign(
        "fever_confusion",
        "A fever with new confusion, or drowsiness that makes it hard to stay awake",
        "Fever with confusion or drowsiness",
        _E,
    ),
    _sign(
        "chest_after_treatment",
        "Chest pain or trouble breathing that started after an acupuncture treatment",
        "Chest pain or breathlessness after treatment",
        _E,
    ),
)

# Asked when the patient says they are pregnant: call the maternity unit or 911 now.
PREGNANCY_SIGNS = (
    _sign(
        "pregnancy_tightening",
        "Tightening of your belly that comes regularly, or a low backache that comes and "
        "goes or does not stop",
        "Pregnancy: regular tightening or backache that comes and goes",
        _E,
    ),
    _sign(
        "pregnancy_pressure",
        "A feeling of pressure low in your pelvis, as if the baby is pushing down",
        "Pregnancy: pelvic pressure",
        _E,
    ),
    _sign("pregnancy_bleeding", "Bleeding from your vagina", "Pregnancy: bleeding", _E),
    _sign(
        "pregnancy_fluid",
        "Fluid leaking from your vagina",
        "Pregnancy: fluid leaking",
        _E,
    ),
    _sign(
        "pregnancy_movements",
        "Your baby is moving less than usual",
        "Pregnancy: fewer baby movements",
        _E,
    ),
    _sign(
        "pregnancy_headache",
        "A severe headache, blurred vision or flashing lights",
        "Pregnancy: severe headache or vision problems",
        _E,
    ),
)

# Tier 2: see your doctor within 24 hours, before acupuncture. A patient whose doctor has
# examined the sign since it began may say so: the booking then goes through, flagged
# ``doctor_cleared``.
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
        "slow_weakness",
        "Weakness or numbness in an arm or leg, or a foot that catches or slaps as you walk, "
        "getting worse over days or weeks",
        "Weakness or numbness getting worse over days or weeks",
        _D,
    ),
    _sign(
        "clumsy_hands",
        "Your hands have been getting clumsy, even slowly over months (trouble with buttons "
        "or writing)",
        "Clumsy hands",
        _D,
    ),
    _sign(
        "unsteady_walking",
        "Your walking has been getting unsteady, even slowly over months",
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
    _sign(
        "shingles",
        "A band of burning, tingling or stabbing pain on one side of your body, with a rash "
        "or before one",
        "Band of burning pain, with or before a rash",
        _D,
    ),
)

# Not a stop in itself: each is one when it comes with thin bones, long-term steroids or
# age 65 or over (a fracture without a real fall, see ``booking.intake``); a flag otherwise.
MINOR_FALL = _sign(
    "minor_fall",
    "In the last 6 weeks: a small fall or bump, such as a stumble or a fall from standing",
    "Small fall in the last 6 weeks",
    _D,
)
SUDDEN_STRAIN = _sign(
    "sudden_strain",
    "In the last 6 weeks: sudden, severe back pain that began as you lifted, bent, coughed "
    "or sneezed",
    "Sudden severe back pain on lifting, bending or coughing",
    _D,
)
FRAGILITY_SIGNS = (MINOR_FALL, SUDDEN_STRAIN)
