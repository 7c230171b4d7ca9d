"""No oracle: nothing a visitor sees says whether an email address or a date of birth is a
patient's until they prove they read that email (a six-digit code); then a returning
patient gets the short questions. Limits per session, per client address, per email."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from booking.models import Service
from tests.booking.walk import (
    CONSENT,
    details_data,
    emailed_code,
    first_slot,
    later_week,
    prove_email,
    seed,
)
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details, seen

BORN = dt.date(1980, 5, 1)
PATIENT = "ada@example.com"
STRANGER = "someone.else@example.org"


@pytest.fixture
def patient():
    return seen(
        book(start=local(next_weekday(0), 9), patient=details(email=PATIENT, date_of_birth=BORN))
    ).patient


def at_details() -> Client:
    client = Client()
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    return client


def _same(response, email: str) -> tuple[int, str, str]:
    """A page as a visitor sees it, with their own token and the address they typed blanked."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'nonce="[^"]+"', "", page)
    return response.status_code, response.get("Location", ""), page.replace(email, "EMAIL")


@pytest.mark.django_db
def test_a_patients_address_and_a_strangers_get_the_same_pages_and_email(patient, settings):
    seen = {}
    for email in (PATIENT, STRANGER):
        client = at_details()
        data = {**details_data(email=email, date_of_birth=BORN.isoformat()), "been_before": "on"}
        mail.outbox.clear()
        steps = [client.post("/book/details/", data)]
        steps.append(client.get(steps[0]["Location"]))
        steps.append(client.post("/book/details/code/", {"code": "000000"}))  # wrong
        steps.append(client.get("/book/health-questions/"))  # "answer the full questions"
        [sent] = mail.outbox
        body = re.sub(r"\b\d{6}\b", "CODE", sent.body)
        seen[email] = ([_same(r, email) for r in steps], sent.subject.split(":")[0], body)
    assert seen[PATIENT] == seen[STRANGER]
    # The code is the only thing in the email: no name, no word of a record.
    [_, _, body] = seen[PATIENT]
    assert patient.first_name not in body and "account" not in body.lower()


@pytest.mark.django_db
def test_the_right_code_opens_the_short_questions_for_a_returning_patient(patient, soup):
    client = at_details()
    done = prove_email(client, details_data(email=PATIENT, date_of_birth=BORN.isoformat()))
    assert done["Location"] == "/book/health-questions/"
    page = soup(client.get("/book/health-questions/"))
    assert page.select_one("#id_changes") and not page.select_one("#id_pain_areas_0")


@pytest.mark.django_db
def test_the_right_code_for_an_unknown_address_leads_to_the_full_questions(patient, soup):
    client = at_details()
    prove_email(client, details_data(email=STRANGER, date_of_birth=BORN.isoformat()))
    page = soup(client.get("/book/health-questions/"))
    assert page.select_one("#id_pain_areas_0") and not page.select_one("#id_changes")
    assert "found no earlier visit" in page.get_text()


@pytest.mark.django_db
def test_without_the_code_a_patient_gets_the_full_questions(patient, soup):
    client = at_details()
    data = details_data(email=PATIENT, date_of_birth=BORN.isoformat())
    assert client.post("/book/details/", data)["Location"] == "/book/health-questions/"
    page = soup(client.get("/book/health-questions/"))
    assert page.select_one("#id_pain_areas_0") and not page.select_one("#id_changes")
    assert mail.outbox == []  # nothing is sent unless asked for


@pytest.mark.django_db
def test_five_wrong_codes_spend_it(patient, soup):
    client = at_details()
    data = {**details_data(email=PATIENT, date_of_birth=BORN.isoformat()), "been_before": "on"}
    client.post("/book/details/", data)
    code = emailed_code(PATIENT)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [client.post("/book/details/code/", {"code": wrong}) for _ in range(5)]
    assert [a.status_code for a in answers] == [400] * 5
    assert "no longer works" in soup(answers[-1]).get_text()
    late = client.post("/book/details/code/", {"code": code})
    assert late.status_code == 400 and "no longer works" in soup(late).get_text()
    # A new code, asked for, works.
    mail.outbox.clear()
    assert client.post("/book/details/code/", {"action": "resend"}).status_code == 302
    fresh = client.post("/book/details/code/", {"code": emailed_code(PATIENT)})
    assert fresh["Location"] == "/book/health-questions/"


@pytest.mark.django_db
def test_a_code_lasts_ten_minutes(patient, soup):
    client = at_details()
    data = {**details_data(email=PATIENT, date_of_birth=BORN.isoformat()), "been_before": "on"}
    client.post("/book/details/", data)
    code = emailed_code(PATIENT)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10, seconds=1)):
        late = client.post("/book/details/code/", {"code": code})
    assert late.status_code == 400 and "no longer works" in soup(late).get_text()


@pytest.mark.django_db
def test_a_code_proves_only_the_address_it_was_sent_to(patient):
    client = at_details()
    data = {**details_data(email=STRANGER, date_of_birth=BORN.isoformat()), "been_before": "on"}
    client.post("/book/details/", data)
    code = emailed_code(STRANGER)
    # The visitor changes the address to the patient's, then types the stranger's code.
    client.post("/book/details/", {**data, "email": PATIENT})
    mail.outbox.clear()
    assert client.post("/book/details/code/", {"code": code}).status_code == 400


@pytest.mark.django_db
def test_the_details_step_is_limited_per_session(patient, soup):
    client = at_details()
    answers = [
        client.post("/book/details/", details_data(email=f"guess{n}@example.com"))
        for n in range(21)
    ]
    assert [a.status_code for a in answers[:20]] == [302] * 20
    assert answers[20].status_code == 429
    page = soup(answers[20])
    assert "too many attempts" in page.get_text().lower()
    assert page.select_one("#id_email")["value"] == "guess20@example.com"  # kept


@pytest.mark.django_db
def test_the_details_step_is_limited_per_email_across_sessions(patient):
    data = details_data(email=PATIENT)
    answers = [at_details().post("/book/details/", data).status_code for _ in range(11)]
    assert answers == [302] * 10 + [429]


@pytest.mark.django_db
def test_the_details_step_is_limited_per_client_address(patient):
    answers = []
    for n in range(61):
        client = at_details()
        answers.append(client.post("/book/details/", details_data(email=f"g{n}@example.com")))
    assert [a.status_code for a in answers] == [302] * 60 + [429]


@pytest.mark.django_db
def test_codes_sent_to_one_address_are_limited(patient):
    data = {**details_data(email=PATIENT), "been_before": "on"}
    for _ in range(7):
        client = at_details()
        client.post("/book/details/", data)
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_joining_the_waiting_list_is_limited_per_email(patient, settings):
    from tests.booking.walk import intake_data

    service = Service.objects.get(slug="follow-up-treatment")
    day = next_weekday(0)
    answered = intake_data()
    statuses = []
    for _ in range(4):
        client = Client()
        seed(
            client,
            service_id=service.pk,
            waitlist={
                "earliest": day.isoformat(),
                "latest": (day + dt.timedelta(days=7)).isoformat(),
                "weekdays": [],
                "parts_of_day": [],
            },
            details=details_data(email=PATIENT, date_of_birth=BORN.isoformat()),
            intake_kind="new",
            intake={"pain_score": 6, "answers": {**answered, "pain_score": 6}},
        )
        statuses.append(client.post("/book/waiting-list/check/", CONSENT).status_code)
    assert statuses[:3] == [302] * 3 and statuses[3] == 429
