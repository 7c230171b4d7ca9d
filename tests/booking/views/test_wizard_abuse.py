"""Bots and floods get a clear answer; a real patient's answers are never lost."""

import pytest

from booking.manage_links import appointment_for_token
from booking.models import Appointment, Service
from tests.booking.walk import CONSENT, confirm, details_data, first_slot, walk_to_review


@pytest.fixture
def at_details(client):
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    client.post("/book/time/", {"slot": first_slot(client.get("/book/time/"))})
    return client


@pytest.mark.django_db
def test_a_filled_honeypot_is_refused_and_the_form_keeps_what_was_typed(at_details, soup):
    response = at_details.post("/book/details/", details_data(website="http://spam.example"))
    page = soup(response)
    assert response.status_code == 400
    assert "leave this field empty" in page.select_one(".error-summary").get_text().lower()
    assert page.select_one("#id_email")["value"] == "ada@example.com"
    assert page.select_one("#id_first_name")["value"] == "Ada"


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people(at_details, soup):
    page = soup(at_details.get("/book/details/"))
    trap = page.select_one("#id_website")
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert trap.find_parent(class_="trap")["aria-hidden"] == "true"


@pytest.mark.django_db
def test_a_form_filled_in_at_once_by_autofill_is_taken_without_a_word(at_details):
    # The details page and its answer in the same second, as a phone's autofill sends them:
    # no speed check scolds a person (the honeypot and the per-address limit stay).
    at_details.get("/book/details/")
    assert at_details.post("/book/details/", details_data()).status_code == 302


@pytest.mark.django_db
def test_too_many_bookings_from_one_address_are_slowed_down(client, settings, soup):
    walk_to_review(client)
    settings.BOOKING_SUBMISSIONS_PER_HOUR = 0
    response, _ = confirm(client)
    settings.BOOKING_SUBMISSIONS_PER_HOUR = 10
    page = soup(response)
    assert response.status_code == 429
    assert "too many booking attempts" in page.get_text().lower()
    assert Appointment.objects.count() == 0
    assert client.get("/book/review/").status_code == 200  # everything is still there
    booked, _ = confirm(client)
    assert booked.status_code == 302 and Appointment.objects.count() == 1


@pytest.mark.django_db
def test_the_limit_counts_per_address(rf):
    from booking import ratelimit

    one, other = rf.post("/", REMOTE_ADDR="192.0.2.1"), rf.post("/", REMOTE_ADDR="192.0.2.2")
    results = [ratelimit.allow(one, scope="t", limit=3, window_seconds=60) for _ in range(4)]
    assert results == [True, True, True, False]
    assert ratelimit.allow(other, scope="t", limit=3, window_seconds=60)


@pytest.mark.django_db
def test_confirming_twice_makes_one_appointment(client):
    walk_to_review(client)
    first, key = confirm(client)
    second = client.post("/book/review/", {"idempotency_key": str(key), **CONSENT})
    # Each answer is a link of its own to the one appointment.
    [booked] = Appointment.objects.all()
    for response in (first, second):
        token = response["Location"].removeprefix("/book/appointment/").rstrip("/")
        assert appointment_for_token(token) == booked


@pytest.mark.django_db
def test_the_slot_taken_meanwhile_keeps_every_answer_and_offers_nearby_times(client, soup):
    from tests.factories.bookings import book

    _, slot = walk_to_review(client)
    start, practitioner_id = slot.split("|")
    import datetime as dt

    from booking.models import Practitioner

    book(start=dt.datetime.fromisoformat(start), who=Practitioner.objects.get(pk=practitioner_id))
    response, _ = confirm(client)
    page = soup(response)
    assert response.status_code == 409
    assert "Someone has just booked that time" in page.get_text()
    assert "Ada Lovelace" in page.get_text()
    alternatives = page.select('input[name="slot"]')
    assert 0 < len(alternatives) <= 6
    chosen = alternatives[0]["value"]
    key = page.select_one('input[name="idempotency_key"]')["value"]
    booked = client.post("/book/review/", {"slot": chosen, "idempotency_key": key, **CONSENT})
    assert booked.status_code == 302
    mine = Appointment.objects.get(patient__email="ada@example.com")
    assert mine.starts_at.isoformat() == chosen.split("|")[0]
    assert mine.intake.answers["worse"] == "Sitting for long"


@pytest.mark.django_db
def test_a_database_failure_mid_booking_leaves_nothing_half_made(client, soup, monkeypatch):
    from django.db import OperationalError

    from booking.models import Intake, Patient

    walk_to_review(client)
    original = Intake.objects.create

    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Intake.objects, "create", connection_lost)
    response, _ = confirm(client)
    page = soup(response)
    assert response.status_code == 503
    assert "nothing was booked" in page.get_text()
    assert Appointment.objects.count() == 0 and Patient.objects.count() == 0
    monkeypatch.setattr(Intake.objects, "create", original)
    retried, _ = confirm(client)
    assert retried.status_code == 302 and Appointment.objects.count() == 1
