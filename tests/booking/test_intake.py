"""What each answer does (booking/intake.py), for patients described as a clinician would."""

from types import SimpleNamespace

import pytest

from booking import intake, questions
from booking.intake import Refusal, Rule, refusal_for, rules_for, screening_flags, urgency
from practice.seek_care import Tier

ELECTRICAL = SimpleNamespace(uses_electrical_stimulation=True)
NEEDLES_ONLY = SimpleNamespace(uses_electrical_stimulation=False)


def answers(*yes, **others) -> dict:
    values = intake.no_answers()
    values.update(dict.fromkeys(yes, "yes"))
    values.update(others)
    return values


def test_nothing_to_report_rules_nothing_out():
    assert refusal_for(ELECTRICAL, answers(), age=40) is None
    assert screening_flags(answers(), age=40) == []


@pytest.mark.parametrize("sign", [q.key for q in questions.EMERGENCY_SIGNS])
def test_every_emergency_sign_sends_the_patient_to_the_emergency_department(sign):
    for service in (ELECTRICAL, NEEDLES_ONLY, None):
        assert refusal_for(service, answers(sign), age=30) is Refusal.EMERGENCY
    # A doctor's clearance never lets a tier-1 sign through.
    assert urgency(answers(sign, doctor_cleared="yes")) is Tier.EMERGENCY


@pytest.mark.parametrize("sign", [q.key for q in questions.DOCTOR_SIGNS])
def test_every_doctor_sign_asks_for_a_doctor_within_a_day_unless_one_has_checked_it(sign):
    assert urgency(answers(sign), age=40) is Tier.DOCTOR_SOON
    cleared = answers(sign, doctor_cleared="yes")
    assert urgency(cleared, age=40) is None
    assert questions.DOCTOR_CLEARED in screening_flags(cleared, age=40)  # flagged, never silent


def test_an_emergency_sign_comes_before_a_doctor_sign_and_an_implant():
    mixed = answers("red_fever", "red_stroke_signs", "screen_implant")
    assert refusal_for(ELECTRICAL, mixed) is Refusal.EMERGENCY


def test_a_man_with_a_sudden_worst_headache_and_neck_pain_is_sent_to_911():
    assert urgency(answers("red_sudden_headache"), age=45) is Tier.EMERGENCY


def test_a_woman_with_neck_pain_and_double_vision_is_not_booked_into_electroacupuncture():
    assert refusal_for(ELECTRICAL, answers("red_stroke_signs"), age=38) is Refusal.EMERGENCY


def test_a_cancer_survivor_of_fifteen_years_with_her_usual_back_pain_is_booked():
    # Her pain is neither new nor worse: nothing in the list applies to her.
    assert refusal_for(NEEDLES_ONLY, answers(), age=62) is None


def test_a_cancer_survivor_with_new_back_pain_sees_a_doctor_first():
    assert urgency(answers("red_cancer_pain"), age=62) is Tier.DOCTOR_SOON


def test_whiplash_from_a_crash_years_ago_is_not_a_recent_trauma():
    # The old accident is the onset answer; no recent fall, crash or blow is ticked.
    assert refusal_for(NEEDLES_ONLY, answers(pain_onset="accident"), age=35) is None


def test_a_small_fall_counts_as_a_warning_sign_only_with_frail_bones_or_age():
    fall = answers("red_minor_fall")
    assert urgency(fall, age=40) is None
    assert screening_flags(fall, age=40) == [questions.MINOR_FALL_FLAG]
    assert urgency(fall, age=70) is Tier.DOCTOR_SOON
    assert urgency(answers("red_minor_fall", "screen_osteoporosis"), age=40) is Tier.DOCTOR_SOON
    assert urgency(answers("red_minor_fall", "screen_steroids"), age=40) is Tier.DOCTOR_SOON


@pytest.mark.parametrize("condition", ["screen_implant", "screen_pregnancy", "screen_seizures"])
def test_implants_pregnancy_and_seizures_rule_out_only_electrical_stimulation(condition):
    given = answers(condition)
    assert refusal_for(ELECTRICAL, given, age=30) is Refusal.NO_ELECTRICAL
    assert refusal_for(NEEDLES_ONLY, given, age=30) is None
    assert Rule.NO_ELECTRICAL in rules_for(screening_flags(given))


def test_fainting_and_needle_anxiety_are_flags_and_do_not_rule_out_electrical_stimulation():
    given = answers("screen_fainted", "screen_needle_anxiety")
    assert refusal_for(ELECTRICAL, given) is None
    assert screening_flags(given) == ["fainted", "needle_anxiety"]


def test_risk_factors_are_flags_for_the_practitioner_not_stops():
    risks = [
        "screen_steroids",
        "screen_osteoporosis",
        "screen_weak_immunity",
        "screen_iv_drugs",
        "screen_recent_infection",
        "screen_spinal_procedure",
        "screen_diabetes",
        "screen_lymphoedema",
        "screen_metal_allergy",
    ]
    given = answers(*risks)
    assert refusal_for(NEEDLES_ONLY, given, age=40) is None
    assert len(screening_flags(given, age=40)) == len(risks)


def test_age_fifty_or_over_with_recent_pain_is_flagged():
    recent = answers(pain_duration="under_6_weeks")
    assert screening_flags(recent, age=50) == [questions.AGE_50_RECENT_PAIN]
    assert screening_flags(recent, age=49) == []
    assert screening_flags(answers(pain_duration="over_3_months"), age=70) == []


def test_front_desk_reads_rules_not_answers():
    rules = rules_for(["pregnancy", "seizures", "lymphoedema"])
    assert rules == [
        Rule.NO_ELECTRICAL,
        Rule.NO_MOXIBUSTION,
        Rule.NOT_LEFT_ALONE,
        Rule.LIMB_NOT_NEEDLED,
    ]
    assert not any("pregnan" in str(rule).lower() for rule in rules)


def test_flags_stored_by_the_earlier_intake_still_read():
    assert questions.FLAG_LABELS["bleeding"] == "Bleeding disorder or blood thinners"
    assert rules_for(["fainting"]) == [Rule.CHECK_WITH_PATIENT]
