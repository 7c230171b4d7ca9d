"""The health questions through the real forms: the stop page for each tier, the way back,
a doctor's clearance for returning patients, and the link a phone booking sends."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core import mail

from booking.models import Appointment, Intake
from tests.booking.walk import confirm, details_data, draft_of, intake_data, walk_to_review
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details, manage_token, seen

HEALTH_MARKER = "zqx-screening-marker"
BORN = dt.date(1980, 5, 1)


def _hidden(page) -> list[tuple[str, str]]:
    return [
        (field["name"], field.get("value", ""))
        for field in page.select("form input[type=hidden]")
        if field["name"] not in {"csrfmiddlewaretoken"}
    ]


@pytest.mark.django_db
def test_an_emergency_sign_says_911_now_and_keeps_nothing(client, soup):
    response, _ = walk_to_review(
        client, answers=intake_data(red_stroke_signs="yes", worse=HEALTH_MARKER)
    )
    page = soup(response)
    assert response.status_code == 200
    assert page.h1.get_text() == "Please get emergency care now"
    text = page.get_text(" ")
    assert "Call 911 or go to the emergency department now" in text
    assert "within 24 hours" not in text  # the tier given, not a list of everything
    assert "not kept the health answers" in text
    assert Appointment.objects.count() == 0 and Intake.objects.count() == 0
    # Nothing of the answers is kept in the session: the stop page itself carries them back.
    assert HEALTH_MARKER.encode() not in b"".join(str(v).encode() for v in client.session.values())
    assert client.get("/book/review/")["Location"] == "/book/health-questions/"


@pytest.mark.django_db
def test_a_doctor_sign_says_see_a_doctor_within_24_hours_and_how_to_book_after(client, soup):
    response, _ = walk_to_review(client, answers=intake_data(red_clumsy_hands="yes"))
    page = soup(response)
    assert page.h1.get_text() == "Please see a doctor first"
    text = page.get_text(" ")
    assert "See your doctor within 24 hours" in text
    assert "Once a doctor has seen you" in text
    assert "A doctor has already examined me" in text  # the way to book after one has
    assert "911" in text  # what to do if it gets worse
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_a_yes_by_mistake_goes_back_with_every_answer_and_books_once_corrected(client, soup):
    sent = intake_data(red_weakness="yes", worse="Sitting at my desk", screen_diabetes="yes")
    response, _ = walk_to_review(client, answers=sent)
    back = soup(response).find("button", string="Go back to my answers").find_parent("form")
    carried = dict(_hidden(back))
    assert "consent_treatment" not in carried  # consent is given again, knowingly
    posted: dict[str, list[str]] = {}
    for name, value in _hidden(back):
        posted.setdefault(name, []).append(value)
    again = client.post(back["action"], posted)
    form = soup(again)
    assert again.status_code == 200
    assert form.select_one("textarea[name=worse]").get_text().strip() == "Sitting at my desk"
    assert form.select_one("input[name=emergency_signs][value=some]").has_attr("checked")
    assert form.select_one("input[name=precautions][value=some]").has_attr("checked")
    assert not form.select(".error-summary, .invalid-feedback")  # shown for changing, not wrong
    # The ticks themselves come back on the second page, if the patient keeps "Yes".
    kept = dict(_hidden(form))
    assert kept["emergency_detail"] == "red_weakness"
    assert kept["precautions_detail"] == "screen_diabetes"

    fixed = client.post("/book/health-questions/", intake_data(screen_diabetes="yes"))
    assert fixed["Location"] == "/book/review/"
    confirm(client)
    assert Appointment.objects.get().flags == ["diabetes"]


@pytest.mark.django_db
def test_none_of_these_is_asked_for_and_cannot_be_ticked_beside_a_sign(client, soup):
    walk_to_review(client)
    data = intake_data(emergency_signs=[])
    empty = client.post("/book/health-questions/", data)
    assert empty.status_code == 400 and b"None of these" in empty.content
    both = client.post(
        "/book/health-questions/",
        intake_data(red_night_pain="yes", doctor_detail=["none", "red_night_pain"]),
    )
    assert both.status_code == 400 and b"untick" in both.content
    said_yes = intake_data(red_night_pain="yes", doctor_detail=[])
    nothing_ticked = client.post("/book/health-questions/", said_yes)
    assert nothing_ticked.status_code == 400 and b"tell us which" in nothing_ticked.content
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_a_returning_patient_cleared_by_their_doctor_is_booked_with_a_flag(client, soup):
    seen(
        book(
            start=local(next_weekday(0), 9),
            patient=details(email="ada@example.com", date_of_birth=BORN),
        )
    )
    details_step = details_data(date_of_birth=BORN.isoformat())
    cleared = intake_data(
        returning=True,
        red_cancer_pain="yes",
        doctor_cleared="on",
        doctor_cleared_detail="My oncologist, last month",
    )
    response, _ = walk_to_review(client, details=details_step, answers=cleared, returning=True)
    assert response["Location"] == "/book/review/", response.content[:500]
    confirm(client)
    booked = Appointment.objects.exclude(intake__isnull=True).latest("created_at")
    assert "doctor_cleared" in booked.flags and booked.screened


@pytest.mark.django_db
def test_a_returning_patient_without_clearance_is_stopped(client, soup):
    seen(
        book(
            start=local(next_weekday(0), 9),
            patient=details(email="ada@example.com", date_of_birth=BORN),
        )
    )
    details_step = details_data(date_of_birth=BORN.isoformat())
    response, _ = walk_to_review(
        client,
        details=details_step,
        answers=intake_data(returning=True, red_fever="yes"),
        returning=True,
    )
    page = soup(response)
    assert page.h1.get_text() == "Please see a doctor first"
    assert "A doctor has already examined me" in page.get_text(" ")


@pytest.mark.django_db
def test_pregnancy_or_seizures_keep_the_patient_out_of_electroacupuncture(client):
    for condition in ("screen_pregnancy", "screen_seizures"):
        client.cookies.clear()
        response, _ = walk_to_review(
            client, service="electroacupuncture", answers=intake_data(**{condition: "yes"})
        )
        assert response["Location"] == "/book/?changed=electrical"
    assert Appointment.objects.count() == 0


# --- a phone booking's questions, through its link -----------------------------------------


@pytest.fixture
def phoned(db, django_capture_on_commit_callbacks):
    """A new patient booked by phone, before any answers: a new patient visit."""
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(
            start=local(next_weekday(2), 10),
            service="new-patient-visit",
            patient=details(first_name="Pat", email="pat@example.com"),
            intake=None,
            by_staff=True,
        )
    return appointment


@pytest.fixture
def phoned_electro(db, django_capture_on_commit_callbacks):
    """Electroacupuncture booked by phone for a patient whose answers from a visit some
    weeks ago are on file: the new session is not screened until they answer again."""
    pat = details(first_name="Pat", email="pat@example.com")
    seen(book(start=local(next_weekday(1), 10), patient=pat))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(
            start=local(next_weekday(2), 10),
            service="electroacupuncture",
            patient=pat,
            intake=None,
            by_staff=True,
        )
    return appointment


def _questions_url(appointment) -> str:
    return f"/book/appointment/{manage_token(appointment)}/health-questions/"


@pytest.mark.django_db
def test_a_phone_booking_is_not_screened_and_its_email_links_to_the_questions(client, phoned):
    assert not phoned.screened and phoned.flag_marker == "Not screened yet"
    [email] = [m for m in mail.outbox if m.to == ["pat@example.com"]]
    link = re.search(r"https?://\S+(/book/appointment/[^/\s]+/health-questions/)", email.body)
    assert client.get(link.group(1)).status_code == 200  # the emailed link opens the questions


@pytest.mark.django_db
def test_answering_through_the_link_screens_the_appointment(client, phoned, soup):
    form = soup(client.get(_questions_url(phoned)))
    assert form.select_one("input[name=emergency_signs]")
    done = client.post(_questions_url(phoned), intake_data(screen_blood_thinners="yes"))
    assert done.status_code == 302
    phoned.refresh_from_db()
    assert phoned.screened and phoned.flags == ["blood_thinners"]
    assert phoned.intake.answers["screen_blood_thinners"] == "yes"
    # Answered once: the link now says so, and leads to the appointment.
    assert client.get(_questions_url(phoned)).status_code == 302


@pytest.mark.django_db
def test_no_electrical_stimulation_until_the_answers_through_the_link_come_in(
    client, phoned_electro
):
    phoned = phoned_electro
    assert phoned.service.uses_electrical_stimulation and not phoned.screened
    assert phoned.rules == ["No electrical stimulation"]
    client.post(_questions_url(phoned), intake_data(returning=True))
    phoned.refresh_from_db()
    assert phoned.screened and phoned.rules == []


@pytest.mark.django_db
def test_an_implant_answered_through_the_link_marks_the_electrical_session_for_a_call(
    client, phoned_electro
):
    phoned = phoned_electro
    client.post(_questions_url(phoned), intake_data(returning=True, screen_implant="yes"))
    phoned.refresh_from_db()
    assert phoned.screened and phoned.rules == ["No electrical stimulation"]


@pytest.mark.django_db
def test_an_emergency_sign_through_the_link_stores_nothing_and_stays_unscreened(
    client, phoned, soup
):
    response = client.post(_questions_url(phoned), intake_data(red_meningitis="yes"))
    page = soup(response)
    assert page.h1.get_text() == "Please get emergency care now"
    assert "still in our diary" in page.get_text(" ")
    phoned.refresh_from_db()
    assert not phoned.screened and not Intake.objects.filter(appointment=phoned).exists()


@pytest.mark.django_db
def test_a_stop_through_the_link_marks_the_appointment_and_emails_the_practice_once(
    client, phoned, soup, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    sent = intake_data(red_heart_effort="yes", worse=HEALTH_MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        stopped = client.post(_questions_url(phoned), sent)
    assert soup(stopped).h1.get_text() == "Please get emergency care now"
    phoned.refresh_from_db()
    assert phoned.flag_marker == "Stopped at screening: call the patient"
    assert not phoned.screened and not Intake.objects.filter(appointment=phoned).exists()
    [notice] = mail.outbox
    assert "call a patient" in notice.subject
    body = notice.body + notice.subject
    assert phoned.patient.full_name in body and "Stopped at screening" in body
    for health in (HEALTH_MARKER, "chest", "heart", "effort", "911"):
        assert health not in body  # which sign, or any answer, never leaves the site
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_questions_url(phoned), sent)  # again: marked already, no second email
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_stop_page_reached_directly_shows_both_tiers(client, soup):
    text = soup(client.get("/book/see-a-doctor-first/")).get_text(" ")
    assert "Call 911 or go to the emergency department now" in text
    assert "See your doctor within 24 hours" in text
    assert answers()  # the factory's answers are the form's "nothing to report"


def _to_the_questions(client):
    walk_to_review(client)  # answers once, so that the draft holds a time and details
    draft = draft_of(client)
    draft.intake = {}
    session = client.session
    draft.save(SimpleNamespace(session=session))
    session.save()


@pytest.mark.django_db
def test_questions_holding_answers_or_errors_never_come_from_the_kept_form(client, soup):
    _to_the_questions(client)
    client.get("/book/health-questions/")  # the blank form, now kept
    walk_to_review(client, answers=intake_data(worse=HEALTH_MARKER))
    coming_back = client.get("/book/health-questions/")
    refused = client.post("/book/health-questions/", {"worse": HEALTH_MARKER})

    assert HEALTH_MARKER in coming_back.content.decode()  # their own answers, shown again
    assert refused.status_code == 400 and HEALTH_MARKER in refused.content.decode()
    other = type(client)()
    _to_the_questions(other)
    assert HEALTH_MARKER not in other.get("/book/health-questions/").content.decode()
