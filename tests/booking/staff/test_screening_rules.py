"""The same screening rules when staff book by phone, and what each role sees of them."""

import logging

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking.models import Appointment, Service
from booking.screening import OVERRIDE_ACTION
from tests.clock import local
from tests.factories.bookings import answers, book, details

from .shared import MONDAY, TUESDAY, inspect_url

REASON = "Cardiologist cleared a low-current session in writing"


@pytest.fixture
def paced(db):
    """A patient whose latest answers (online, last visit) say they have a pacemaker."""
    return book(
        start=local(MONDAY, 9),
        patient=details(first_name="Paula", last_name="Paced", email="paula@example.com"),
        intake=answers(screen_implant="yes"),
    )


def _phone_form(service_slug: str, **overrides) -> dict:
    form = {
        "service": Service.objects.get(slug=service_slug).pk,
        "practitioner": "",
        "date": TUESDAY.isoformat(),
        "time": "15:00",
        "first_name": "Paula",
        "last_name": "Paced",
        "email": "Paula@Example.com",
        "phone": "555 0100",
        "date_of_birth": "1975-01-01",
        "red_flags": "none",
    }
    form.update(overrides)
    return form


URL = "/admin/bookings/book/"


def test_the_phone_booking_url_is_the_staff_screen():
    assert reverse("booking_staff:book_for_patient") == URL


@pytest.mark.django_db
def test_front_desk_cannot_book_electrical_stimulation_the_answers_rule_out(
    front_desk_client, paced
):
    page = front_desk_client.get(URL)
    assert b"override_reason" not in page.content  # no override for front desk
    refused = front_desk_client.post(URL, _phone_form("electroacupuncture", override_reason="x"))
    assert refused.status_code == 200
    assert b"rule out electrical stimulation" in refused.content
    assert Appointment.objects.count() == 1
    # The same patient, a session without it: booked, and the rule travels with them.
    front_desk_client.post(URL, _phone_form("follow-up-treatment"))
    booked = Appointment.objects.latest("created_at")
    assert booked.rules == ["No electrical stimulation"] and not booked.screened


@pytest.mark.django_db
def test_a_practitioner_may_override_with_a_written_reason_which_is_logged(
    rosa_client, paced, caplog
):
    assert b"override_reason" in rosa_client.get(URL).content
    without = rosa_client.post(URL, _phone_form("electroacupuncture"))
    assert b"rule out electrical stimulation" in without.content
    with caplog.at_level(logging.INFO):
        done = rosa_client.post(URL, _phone_form("electroacupuncture", override_reason=REASON))
    assert done.status_code == 302
    booked = Appointment.objects.get(service__slug="electroacupuncture")
    assert "rule_override" in booked.flags
    assert [note.text for note in booked.notes.all()] == [
        f"Booked with electrical stimulation despite the patient's answers: {REASON}"
    ]
    [entry] = ModelLogEntry.objects.filter(action=OVERRIDE_ACTION)
    assert entry.object_id == str(booked.pk) and entry.user.username == "rosa-test"
    assert REASON not in str(entry.data)  # who and which rule, never why
    assert "Rule overridden on appointment" in caplog.text and REASON not in caplog.text


@pytest.mark.django_db
def test_a_new_patient_booked_by_phone_reads_not_screened_yet_everywhere(front_desk_client):
    front_desk_client.post(URL, _phone_form("new-patient-visit", email="new@example.com"))
    booked = Appointment.objects.get()
    assert not booked.screened and booked.flags == []
    page = front_desk_client.get(inspect_url(booked)).content.decode()
    assert "Not screened yet" in page and "Nothing flagged" not in page
    agenda = front_desk_client.get(
        reverse("booking_staff:agenda") + f"?date={TUESDAY.isoformat()}"
    ).content.decode()
    assert "Not screened yet" in agenda
    listing = front_desk_client.get("/admin/bookings/appointments/").content.decode()
    assert "Not screened yet" in listing


@pytest.mark.django_db
def test_front_desk_sees_the_flag_and_its_rule_never_the_answer(front_desk_client, paced):
    page = front_desk_client.get(inspect_url(paced)).content.decode()
    assert "Flagged" in page and "No electrical stimulation" in page
    assert "Implanted electrical device" not in page and "pacemaker" not in page.lower()


@pytest.mark.django_db
def test_the_practitioner_sees_the_answer_behind_the_flag(rosa_client, paced):
    page = rosa_client.get(inspect_url(paced)).content.decode()
    assert "Implanted electrical device" in page and "No electrical stimulation" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "told"),
    [("emergency", "call 911"), ("doctor", "see your doctor within 24 hours")],
)
def test_a_warning_sign_read_from_the_phone_script_refuses_the_booking(
    front_desk_client, answer, told
):
    page = front_desk_client.get(URL).content.decode()
    assert "Health questions to read to the caller" in page
    assert "chest pain, pressure or tightness" in page  # the new signs are read too
    before = Appointment.objects.count()
    refused = front_desk_client.post(URL, _phone_form("follow-up-treatment", red_flags=answer))
    assert refused.status_code == 200 and told in refused.content.decode()
    assert Appointment.objects.count() == before
    unanswered = _phone_form("follow-up-treatment")
    del unanswered["red_flags"]
    assert b"Read the questions to the caller" in front_desk_client.post(URL, unanswered).content
    assert Appointment.objects.count() == before


@pytest.mark.django_db
def test_a_practitioner_may_book_a_caller_despite_a_warning_sign_with_a_written_reason(
    rosa_client,
):
    refused = rosa_client.post(URL, _phone_form("follow-up-treatment", red_flags="doctor"))
    assert b"see your doctor within 24 hours" in refused.content
    done = rosa_client.post(
        URL, _phone_form("follow-up-treatment", red_flags="doctor", override_reason=REASON)
    )
    assert done.status_code == 302
    booked = Appointment.objects.get(patient__last_name="Paced")
    assert "rule_override" in booked.flags and not booked.screened
    assert [note.text for note in booked.notes.all()] == [
        f"Booked despite a warning sign the caller gave to the phone script: {REASON}"
    ]
    [entry] = ModelLogEntry.objects.filter(action=OVERRIDE_ACTION)
    assert REASON not in str(entry.data)
