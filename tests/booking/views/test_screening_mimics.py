"""What presents as back or neck pain and is not: each sign through the real form, its stop
page, nothing stored; a doctor's clearance for tier-2 signs, new patients too; and a patient
with nothing to report still answering the screening in three taps on one page."""

import pytest

from booking import intake, questions
from booking.models import Appointment, Intake
from tests.booking.walk import confirm, details_data, intake_data, walk_to_review

HEALTH_MARKER = "zqx-mimic-marker"
EMERGENCY_H1 = "Please get emergency care now"
DOCTOR_H1 = "Please see a doctor first"

NEW_EMERGENCY_SIGNS = [
    "red_heart_effort",
    "red_heart_with",
    "red_tearing_pain",
    "red_pulsing_belly",
    "red_sudden_headache",
    "red_stroke_signs",
    "red_neck_artery",
    "red_eyelid",
    "red_fever_confusion",
]
NEW_DOCTOR_SIGNS = ["red_slow_weakness", "red_clumsy_hands", "red_shingles"]


def _nothing_kept(client) -> None:
    assert Appointment.objects.count() == 0 and Intake.objects.count() == 0
    kept = b"".join(str(v).encode() for v in client.session.values())
    assert HEALTH_MARKER.encode() not in kept


@pytest.mark.django_db
@pytest.mark.parametrize("sign", NEW_EMERGENCY_SIGNS)
def test_a_sign_of_the_heart_aorta_neck_artery_or_brain_says_911_and_keeps_nothing(
    client, soup, sign
):
    response, _ = walk_to_review(client, answers=intake_data(worse=HEALTH_MARKER, **{sign: "yes"}))
    page = soup(response)
    assert page.h1.get_text() == EMERGENCY_H1
    assert "Call 911 or go to the emergency department now" in page.get_text(" ")
    _nothing_kept(client)


@pytest.mark.django_db
@pytest.mark.parametrize("sign", [q.key for q in questions.PREGNANCY_SIGNS])
def test_a_danger_sign_in_pregnancy_names_the_maternity_unit_and_keeps_nothing(client, soup, sign):
    response, _ = walk_to_review(client, answers=intake_data(worse=HEALTH_MARKER, **{sign: "yes"}))
    page = soup(response)
    assert page.h1.get_text() == "Please get urgent care now"
    assert "Call your maternity unit" in page.get_text(" ")
    _nothing_kept(client)


@pytest.mark.django_db
def test_pregnancy_asks_its_danger_signs_and_without_one_books_without_electricity(client, soup):
    said_pregnant = intake_data(screen_pregnancy="yes")
    del said_pregnant["pregnancy_detail"]
    response, _ = walk_to_review(client, answers=said_pregnant)
    assert response.status_code == 400
    assert "If you are pregnant: do you have any of these now?" in soup(response).get_text(" ")
    fine = client.post("/book/health-questions/", intake_data(screen_pregnancy="yes"))
    assert fine["Location"] == "/book/review/"


@pytest.mark.django_db
@pytest.mark.parametrize("sign", NEW_DOCTOR_SIGNS)
def test_a_slow_nerve_sign_or_shingles_says_see_a_doctor_within_24_hours(client, soup, sign):
    response, _ = walk_to_review(client, answers=intake_data(worse=HEALTH_MARKER, **{sign: "yes"}))
    assert soup(response).h1.get_text() == DOCTOR_H1
    _nothing_kept(client)


@pytest.mark.django_db
@pytest.mark.parametrize("fragile", ["screen_osteoporosis", "screen_steroids"])
def test_sudden_pain_on_lifting_with_thin_bones_is_a_fracture_to_check(client, soup, fragile):
    answers = intake_data(worse=HEALTH_MARKER, red_sudden_strain="yes", **{fragile: "yes"})
    response, _ = walk_to_review(client, answers=answers)
    assert soup(response).h1.get_text() == DOCTOR_H1
    _nothing_kept(client)


@pytest.mark.django_db
def test_sudden_pain_on_lifting_at_seventy_is_a_fracture_to_check(client, soup):
    born = "1950-01-01"  # 65 or over on any day the suite runs
    response, _ = walk_to_review(
        client,
        details=details_data(date_of_birth=born),
        answers=intake_data(red_sudden_strain="yes"),
    )
    assert soup(response).h1.get_text() == DOCTOR_H1


@pytest.mark.django_db
def test_sudden_pain_on_lifting_at_forty_is_booked_with_a_flag(client):
    response, _ = walk_to_review(client, answers=intake_data(red_sudden_strain="yes"))
    assert response["Location"] == "/book/review/"
    confirm(client)
    assert Appointment.objects.get().flags == [questions.SUDDEN_STRAIN_FLAG]


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["inflammatory", "cancer_history"])
def test_an_inflammatory_pattern_or_a_past_cancer_is_booked_with_a_flag(client, flag):
    response, _ = walk_to_review(client, answers=intake_data(**{f"screen_{flag}": "yes"}))
    assert response["Location"] == "/book/review/"
    confirm(client)
    assert Appointment.objects.get().flags == [flag]


@pytest.mark.django_db
def test_a_new_patient_whose_doctor_examined_a_fall_is_booked_with_a_flag(client):
    cleared = intake_data(
        red_recent_trauma="yes",
        doctor_cleared="on",
        doctor_cleared_detail="My doctor X-rayed my back after the fall, three weeks ago",
    )
    response, _ = walk_to_review(client, answers=cleared)
    assert response["Location"] == "/book/review/", response.content[:500]
    confirm(client)
    booked = Appointment.objects.get()
    assert booked.flags == [questions.DOCTOR_CLEARED] and booked.screened
    assert booked.intake.answers["doctor_cleared_detail"].startswith("My doctor X-rayed")


@pytest.mark.django_db
def test_a_clearance_must_say_which_sign_and_when(client, soup):
    response, _ = walk_to_review(
        client, answers=intake_data(red_recent_trauma="yes", doctor_cleared="on")
    )
    assert response.status_code == 400
    assert "which sign the doctor checked" in soup(response).get_text(" ")
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("sign", ["red_heart_effort", "red_bladder", "red_pregnancy_bleeding"])
def test_a_doctor_never_waives_an_emergency_sign_online(client, soup, sign):
    waived = intake_data(
        doctor_cleared="on", doctor_cleared_detail="My doctor saw me", **{sign: "yes"}
    )
    response, _ = walk_to_review(client, answers=waived)
    assert soup(response).h1.get_text() in {EMERGENCY_H1, "Please get urgent care now"}
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_nothing_to_report_is_three_taps_on_one_page_and_asks_every_sign(client, soup):
    walk_to_review(client)  # to the questions, with a time and details
    page = soup(client.get("/book/health-questions/"))
    groups = page.select("input[type=radio][value=none]")
    assert [g["name"] for g in groups] == ["emergency_signs", "doctor_signs", "precautions"]
    assert not page.select("input[type=checkbox][name$=_detail]")  # no long lists
    summaries = page.select(".sign-summary")
    assert len(summaries) == 3 and all(s.find_all("li") for s in summaries)
    answered = client.post("/book/health-questions/", intake_data())
    assert answered["Location"] == "/book/review/"


@pytest.mark.django_db
def test_a_yes_leads_to_the_group_s_own_questions_then_to_the_stop_page(client, soup):
    walk_to_review(client)
    first = intake_data()
    first["doctor_signs"] = "some"
    second = client.post("/book/health-questions/", first)
    page = soup(second)
    assert second.status_code == 200 and page.h1.get_text() == "Health questions: tell us which"
    assert page.select("input[name=doctor_detail][value=red_shingles]")
    assert not page.select("input[name=emergency_detail]")  # only the group answered "Yes"
    sent = {}
    for field in page.select("form input[type=hidden]"):
        sent.setdefault(field["name"], []).append(field.get("value", ""))
    sent["doctor_detail"] = ["red_shingles"]
    stopped = client.post("/book/health-questions/", sent)
    assert soup(stopped).h1.get_text() == DOCTOR_H1
    assert Appointment.objects.count() == 0


def test_every_new_sign_has_its_tier():
    for key in NEW_EMERGENCY_SIGNS:
        assert intake.urgency({key: "yes"}) == intake.Tier.EMERGENCY, key
    for key in NEW_DOCTOR_SIGNS:
        assert intake.urgency({key: "yes"}) == intake.Tier.DOCTOR_SOON, key
