"""The waiting list's public pages: joining through the booking's own steps (a red flag
stops it), the entry's page, and the claim page, whose bad, expired or released links get a
clear page and never a server error."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from booking import services as booking_services
from booking.manage_links import appointment_for_token
from booking.models import (
    Appointment,
    AppointmentStatus,
    OfferOutcome,
    Service,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from booking.tokens import (
    ENTRY_SALT,
    OFFER_SALT,
    entry_token,
    legacy_manage_token,
    new_secret,
    offer_token,
)
from booking.waitlist import claims
from tests.booking.walk import CONSENT, details_data, intake_data
from tests.clock import local
from tests.factories.bookings import answers, book, details, manage_token, seen_before

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.django_db


def start_joining(client, **wish):
    client.get(reverse("booking:start") + "?service=follow-up-treatment")
    data = {"earliest": MONDAY.isoformat(), "latest": (MONDAY + dt.timedelta(days=4)).isoformat()}
    return client.post(reverse("booking:waitlist_join"), data | wish)


def test_the_time_step_offers_the_waiting_list(client):
    client.get(reverse("booking:start") + "?service=follow-up-treatment")
    response = client.get(reverse("booking:time"))
    assert reverse("booking:waitlist_join") in response.content.decode()


def test_joining_walks_the_bookings_own_steps_then_joins(client, soup):
    response = start_joining(client, weekdays=["0", "2"], parts_of_day=["morning"])
    assert response.url == reverse("booking:details")
    response = client.post(reverse("booking:details"), details_data())
    assert response.url == reverse("booking:intake")
    response = client.post(reverse("booking:intake"), intake_data())
    assert response.url == reverse("booking:waitlist_review")
    page = soup(client.get(response.url)).get_text(" ", strip=True)
    assert "Monday, Wednesday" in page and "Morning" in page
    response = client.post(reverse("booking:waitlist_review"), CONSENT)
    entry = WaitlistEntry.objects.get()
    assert response.url == reverse("booking:waitlist_entry", args=[entry_token(entry.public_id)])
    assert entry.weekdays == [0, 2] and entry.parts_of_day == ["morning"]
    assert entry.patient.email == "ada@example.com" and entry.answers["pain_score"] == 6
    assert client.get(response.url).status_code == 200


def test_a_red_flag_stops_joining_at_the_questions(client, soup):
    start_joining(client)
    client.post(reverse("booking:details"), details_data())
    response = client.post(reverse("booking:intake"), intake_data(red_bladder="yes"))
    assert response.status_code == 200
    assert "medical" in soup(response).get_text(" ", strip=True).lower()
    assert client.post(reverse("booking:waitlist_review"), CONSENT).status_code == 302
    assert not WaitlistEntry.objects.exists()


def test_dates_out_of_order_are_refused_plainly(client):
    response = start_joining(
        client, latest=(MONDAY - dt.timedelta(days=1)).isoformat(), earliest=MONDAY.isoformat()
    )
    assert response.status_code == 400
    assert b"on or after" in response.content


def test_want_something_sooner_links_the_booked_appointment(client):
    appointment = book(
        start=local(MONDAY + dt.timedelta(days=3), 9), patient=details(email="ada@example.com")
    )
    token = manage_token(appointment)
    page = client.get(reverse("booking:manage", args=[token])).content.decode()
    sooner = reverse("booking:waitlist_move", args=[token])
    assert sooner in page and "?move=" not in page
    response = client.get(sooner)
    assert response.status_code == 302 and response["Location"] == reverse("booking:waitlist_join")
    assert b"You are booked on" in client.get(response["Location"]).content
    client.post(
        reverse("booking:waitlist_join"),
        {"earliest": MONDAY.isoformat(), "latest": MONDAY.isoformat()},
    )
    client.post(reverse("booking:details"), details_data())
    client.post(reverse("booking:intake"), intake_data())
    client.post(reverse("booking:waitlist_review"), CONSENT)
    assert WaitlistEntry.objects.get().move_appointment == appointment


def test_a_patient_seen_before_joins_from_their_link_with_the_short_questions(client, soup):
    """The manage link was sent to the patient's address: it proves it as the emailed code
    would. Their details are filled in, and a follow-up (for patients seen before) is theirs
    to wait for without "I have been here before" and a code."""
    who = details(email="ada@example.com", date_of_birth=dt.date(1980, 5, 1))
    appointment = book(start=local(MONDAY + dt.timedelta(days=3), 9), patient=who)
    seen_before(email="ada@example.com")
    Service.objects.filter(slug="follow-up-treatment").update(open_to_new_patients=False)
    client.get(reverse("booking:waitlist_move", args=[manage_token(appointment)]))
    client.post(
        reverse("booking:waitlist_join"),
        {"earliest": MONDAY.isoformat(), "latest": MONDAY.isoformat()},
    )
    form = soup(client.get(reverse("booking:details")))
    assert form.select_one("#id_email")["value"] == "ada@example.com"
    assert form.select_one("#id_date_of_birth")["value"] == "1980-05-01"
    response = client.post(reverse("booking:details"), details_data())
    assert response["Location"] == reverse("booking:intake")
    questions = soup(client.get(reverse("booking:intake"))).get_text(" ")
    assert "What has changed since your last visit?" in questions
    client.post(reverse("booking:intake"), intake_data(returning=True))
    client.post(reverse("booking:waitlist_review"), CONSENT)
    entry = WaitlistEntry.objects.get()
    assert entry.move_appointment == appointment and entry.intake_kind == "returning"


def test_the_old_move_query_link_still_works_through_the_path_form(client):
    appointment = book(start=local(MONDAY + dt.timedelta(days=3), 9))
    token = manage_token(appointment)
    response = client.get(reverse("booking:waitlist_join") + f"?move={token}")
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:waitlist_move", args=[token])
    joined = client.get(response["Location"], follow=True)
    assert b"You are booked on" in joined.content


def test_a_wrong_sooner_link_is_a_guess_that_finds_nothing(client):
    response = client.get(reverse("booking:waitlist_move", args=["made-up:token"]))
    assert response.status_code == 404


def offered(django_capture_on_commit_callbacks, **join_fields) -> WaitlistOffer:
    booked = full_morning()
    entry = join(**join_fields)
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    return WaitlistOffer.objects.get(entry=entry)


def test_claiming_from_the_link_books_and_lands_on_the_appointment(
    client, django_capture_on_commit_callbacks
):
    offer = offered(django_capture_on_commit_callbacks)
    url = reverse("booking:waitlist_claim", args=[offer_token(offer.public_id)])
    page = client.get(url)
    assert page.status_code == 200 and b"Claim this time" in page.content
    response = client.post(url, {"action": "claim"})
    hold = Appointment.objects.get(pk=offer.hold_id)
    assert hold.status == AppointmentStatus.CONFIRMED
    assert appointment_for_token(response.url.split("/")[-2]) == hold
    again = client.post(url, {"action": "claim"})
    assert again.status_code == 410 and b"claimed already" in again.content


def test_declining_from_the_link_lets_the_time_go(client, django_capture_on_commit_callbacks):
    offer = offered(django_capture_on_commit_callbacks)
    url = reverse("booking:waitlist_claim", args=[offer_token(offer.public_id)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "decline"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.outcome == OfferOutcome.DECLINED
    assert not Appointment.with_holds.filter(status=AppointmentStatus.HELD).exists()
    assert client.get(url).status_code == 410


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        offer_token(uuid.uuid4()),  # well signed, but no such offer
        "0" * 5000,
        "%00",
    ],
)
def test_a_bad_claim_link_gets_a_clear_page(client, token):
    response = client.get(f"/book/waiting-list/claim/{token}/")
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert client.post(f"/book/waiting-list/claim/{token}/").status_code == 404


def test_a_tampered_link_or_another_kinds_token_opens_nothing(
    client, django_capture_on_commit_callbacks
):
    offer = offered(django_capture_on_commit_callbacks)
    token = offer_token(offer.public_id)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("booking:waitlist_claim", args=[tampered])).status_code == 404
    # An entry's link and a manage link are signed otherwise: neither opens a claim.
    for other in (entry_token(offer.public_id), legacy_manage_token(offer.public_id)):
        assert client.get(reverse("booking:waitlist_claim", args=[other])).status_code == 404
    assert OFFER_SALT != ENTRY_SALT


def test_an_expired_hold_gets_a_clear_page_and_cannot_be_claimed(
    client, django_capture_on_commit_callbacks
):
    offer = offered(django_capture_on_commit_callbacks)
    url = reverse("booking:waitlist_claim", args=[offer_token(offer.public_id)])
    with time_machine.travel(offer.expires_at + dt.timedelta(minutes=1)):
        assert client.get(url).status_code == 410
        response = client.post(url, {"action": "claim"})
    assert response.status_code == 410 and b"no longer held" in response.content
    assert Appointment.with_holds.get(pk=offer.hold_id).status == AppointmentStatus.HELD


def test_a_claim_after_the_hold_was_released_gets_a_clear_page(
    client, django_capture_on_commit_callbacks
):
    offer = offered(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        claims.offer_decline(offer=offer)
    response = client.post(
        reverse("booking:waitlist_claim", args=[offer_token(offer.public_id)]),
        {"action": "claim"},
    )
    assert response.status_code == 410


def test_the_entry_page_lets_the_patient_leave_the_list(client):
    entry = join()
    url = reverse("booking:waitlist_entry", args=[entry_token(entry.public_id)])
    assert client.get(url).status_code == 200
    client.post(url)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN
    assert client.get("/book/waiting-list/not-a-token/").status_code == 404


def test_the_offer_page_and_email_never_show_health_answers(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    offer = offered(
        django_capture_on_commit_callbacks,
        answers=answers(worse="PLANTED-MARKER-WORSE"),
    )
    page = client.get(reverse("booking:waitlist_claim", args=[offer_token(offer.public_id)]))
    assert b"PLANTED-MARKER" not in page.content
    assert mailoutbox and all("PLANTED-MARKER" not in m.body for m in mailoutbox)
    assert all("PLANTED-MARKER" not in html for m in mailoutbox for html, _ in m.alternatives)


@pytest.mark.parametrize(
    "wish",
    [
        {"earliest": "9999-12-31", "latest": "9999-12-31"},
        {"earliest": "0001-01-01", "latest": "2027-13-45"},
        {"earliest": "", "latest": ""},
        {"earliest": "\x00", "latest": "x" * 5000},
        {"weekdays": ["9"], "parts_of_day": ["midnight"]},
        {"weekdays": ["²"], "parts_of_day": ["\x00"]},
    ],
)
def test_nonsense_in_the_join_form_gets_the_form_again(client, wish):
    response = start_joining(client, **wish)
    assert response.status_code == 400
    assert not WaitlistEntry.objects.exists()


def test_a_move_link_that_is_not_one_is_ignored(client):
    client.get(reverse("booking:start") + "?service=follow-up-treatment")
    for move in ["nonsense", "\x00", new_secret()]:
        response = client.get(reverse("booking:waitlist_join"), {"move": move})
        assert response.status_code == 200
