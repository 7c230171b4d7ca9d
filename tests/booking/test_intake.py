"""The intake rules that rule a booking out, as the booking steps and the service ask them."""

from types import SimpleNamespace

from booking import intake
from booking.intake import Refusal, refusal_for

ELECTRICAL = SimpleNamespace(uses_electrical_stimulation=True)
NEEDLES_ONLY = SimpleNamespace(uses_electrical_stimulation=False)


def answers(**overrides) -> dict:
    values = {f"screen_{k}": "no" for k in intake.SCREENING}
    values.update({f"red_{k}": "no" for k in intake.RED_FLAGS})
    values.update(overrides)
    return values


def test_ordinary_answers_rule_nothing_out():
    assert refusal_for(ELECTRICAL, answers()) is None
    assert refusal_for(None, answers()) is None


def test_an_implant_rules_out_only_sessions_with_electrical_stimulation():
    implant = answers(screen_implant="yes")
    assert refusal_for(ELECTRICAL, implant) is Refusal.NO_ELECTRICAL
    assert refusal_for(NEEDLES_ONLY, implant) is None
    assert refusal_for(None, implant) is None


def test_a_red_flag_rules_out_every_session_and_comes_before_the_implant():
    for service in [ELECTRICAL, NEEDLES_ONLY, None]:
        assert refusal_for(service, answers(red_fever="yes")) is Refusal.SEE_A_DOCTOR
    both = answers(red_weakness="yes", screen_implant="yes")
    assert refusal_for(ELECTRICAL, both) is Refusal.SEE_A_DOCTOR


def test_a_refusal_reads_as_the_message_the_patient_is_shown():
    assert str(Refusal.SEE_A_DOCTOR) == "Your answers need a doctor's attention before acupuncture."
