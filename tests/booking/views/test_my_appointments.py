"""'My appointments': an email address in, the same answer out; the emailed link signs the
patient in once, for 15 minutes; they see and change their own visits and nobody else's."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.courses.selectors import course_preview
from booking.courses.services import SessionChoice, course_book
from booking.models import Appointment, AppointmentStatus, SignInLink, WaitlistStatus
from booking.views.picker import encode_slot_choice
from tests.booking.waitlist.people import join
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details, seen

MONDAY = next_weekday(0)
ADA = "ada@example.com"


@pytest.fixture
def ada():
    return details(email=ADA, first_name="Ada", last_name="Lovelace")


def ask_for_link(client: Client, email: str):
    return client.post("/my/", {"email": email})


def link_in_mail(to: str = ADA) -> str:
    [sent] = [m for m in mail.outbox if m.to == [to]]
    return re.search(r"https?://[^/\s]+(/my/sign-in/[^\s]+/)", sent.body).group(1)


def signed_in(email: str = ADA) -> Client:
    client = Client()
    mail.outbox.clear()
    ask_for_link(client, email)
    link = link_in_mail(email)
    assert client.post(link)["Location"] == "/my/"
    return client


def _page(response) -> str:
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


@pytest.mark.django_db
def test_a_patients_address_and_a_strangers_get_the_same_answer(ada):
    book(start=local(MONDAY, 9), patient=ada)
    mail.outbox.clear()
    answers = {}
    for email in (ADA, "nobody@example.org"):
        client = Client()
        sent = ask_for_link(client, email)
        answers[email] = (sent.status_code, sent["Location"], _page(client.get(sent["Location"])))
    assert answers[ADA] == answers["nobody@example.org"]
    assert [m.to for m in mail.outbox] == [[ADA]]  # a stranger's address gets nothing
    body = mail.outbox[0].body
    assert "/my/sign-in/" in body and "?" not in link_in_mail()
    assert SignInLink.objects.get().token_hash not in body  # only the hash is kept


@pytest.mark.django_db
def test_the_link_signs_in_once_and_shows_only_the_patients_own_visits(ada, soup):
    mine = book(start=local(MONDAY, 9), patient=ada)
    other = book(start=local(MONDAY, 11), patient=details(first_name="Grace", last_name="Hopper"))
    mail.outbox.clear()
    client = Client()
    ask_for_link(client, ADA)
    link = link_in_mail()
    assert (
        "See my appointments" in soup(client.get(link)).get_text()
    )  # a scanner's GET spends nothing
    assert client.post(link)["Location"] == "/my/"
    page = client.get("/my/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    text = soup(page).get_text(" ")
    assert "Hello Ada" in text and mine.practitioner.name in text
    assert mine.service.name in text
    assert str(mine.public_id) in page.content.decode()
    assert str(other.public_id) not in page.content.decode() and "Grace" not in text
    # Not a staff sign-in.
    assert "_auth_user_id" not in client.session

    again = Client().post(link)
    assert again.status_code == 200 and "does not work" in soup(again).get_text()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_link_expires_after_fifteen_minutes(ada, soup):
    book(start=local(MONDAY, 9), patient=ada)
    mail.outbox.clear()
    client = Client()
    ask_for_link(client, ADA)
    link = link_in_mail()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        late = client.post(link)
    assert "does not work" in soup(late).get_text()
    assert soup(client.get("/my/")).select_one("#id_email")  # still the sign-in form


@pytest.mark.django_db
def test_an_hour_idle_or_signing_out_ends_the_session(ada, soup):
    book(start=local(MONDAY, 9), patient=ada)
    client = signed_in()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=59)):
        assert "Hello Ada" in soup(client.get("/my/")).get_text()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=59 + 61)):
        assert soup(client.get("/my/")).select_one("#id_email")
    client = signed_in()
    assert client.post("/my/sign-out/")["Location"] == "/my/"
    assert soup(client.get("/my/")).select_one("#id_email")


@pytest.mark.django_db
def test_another_patients_appointment_answers_404_at_every_address(ada):
    book(start=local(MONDAY, 9), patient=ada)
    other = book(start=local(MONDAY, 11), patient=details(first_name="Grace"))
    client = signed_in()
    for path in ("cancel", "move"):
        assert client.get(f"/my/visit/{other.public_id}/{path}/").status_code == 404
        assert client.post(f"/my/visit/{other.public_id}/{path}/").status_code == 404
    assert client.post(f"/my/visit/{other.public_id}/book-again/").status_code == 404
    entry = join(details=details(first_name="Grace", email="grace@example.com"))
    assert client.post(f"/my/waiting-list/{entry.public_id}/leave/").status_code == 404
    other.refresh_from_db()
    assert other.status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_signed_out_the_pages_lead_to_the_sign_in_form(ada):
    mine = book(start=local(MONDAY, 9), patient=ada)
    assert Client().get(f"/my/visit/{mine.public_id}/cancel/")["Location"] == "/my/"


@pytest.mark.django_db
def test_the_patient_cancels_one_visit_and_moves_another(ada, django_capture_on_commit_callbacks):
    first = book(start=local(MONDAY, 9), patient=ada)
    second = book(start=local(MONDAY, 11), patient=ada)
    client = signed_in()
    mail.outbox.clear()
    assert client.get(f"/my/visit/{first.public_id}/cancel/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my/visit/{first.public_id}/cancel/")["Location"] == "/my/"
    first.refresh_from_db()
    assert first.status == AppointmentStatus.CANCELLED
    assert any("cancelled" in m.subject for m in mail.outbox if m.to == [ADA])

    new_start = local(MONDAY + dt.timedelta(days=1), 14)
    value = encode_slot_choice(new_start, second.practitioner_id)
    page = client.get(f"/my/visit/{second.public_id}/move/?week={MONDAY.isoformat()}")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(f"/my/visit/{second.public_id}/move/", {"slot": value})
    assert moved["Location"] == "/my/", moved.content[:2000]
    second.refresh_from_db()
    assert second.starts_at == new_start
    assert any("moved" in m.subject for m in mail.outbox if m.to == [ADA])


@pytest.mark.django_db
def test_a_visit_inside_the_change_window_cannot_be_changed_here(ada):
    soon = book(start=local(MONDAY, 9), patient=ada)
    with time_machine.travel(local(MONDAY, 7), tick=False):
        client = signed_in()
        assert client.post(f"/my/visit/{soon.public_id}/cancel/")["Location"] == "/my/"
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_a_course_is_cancelled_from_this_session_on(ada):
    anchor = book(start=local(MONDAY, 10), patient=ada)
    rows = course_preview(appointment=anchor, every_weeks=1, count=3, now=timezone.now())
    outcome = course_book(
        appointment=anchor,
        every_weeks=1,
        planned=3,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )
    sessions = [anchor, *outcome.booked]
    client = signed_in()
    page = client.get(f"/my/visit/{sessions[1].public_id}/cancel/").content.decode()
    assert 'value="following"' in page
    client.post(f"/my/visit/{sessions[1].public_id}/cancel/", {"scope": "following"})
    states = list(
        Appointment.objects.filter(patient__email=ADA)
        .order_by("starts_at")
        .values_list("status", flat=True)
    )
    assert states[0] == AppointmentStatus.CONFIRMED
    assert set(states[1:]) == {AppointmentStatus.CANCELLED}


@pytest.mark.django_db
def test_the_patient_leaves_the_waiting_list(ada, soup):
    book(start=local(MONDAY, 9), patient=ada)
    entry = join(details=ada)
    client = signed_in()
    assert entry.service.name in soup(client.get("/my/")).get_text()
    assert client.post(f"/my/waiting-list/{entry.public_id}/leave/")["Location"] == "/my/"
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN


@pytest.mark.django_db
def test_book_again_fills_in_the_details_and_asks_the_short_questions(ada, soup):
    visit = seen(book(start=local(MONDAY, 9), patient=ada))
    client = signed_in()
    assert client.post(f"/my/visit/{visit.public_id}/book-again/")["Location"] == "/book/time/"
    from tests.booking.walk import first_slot, later_week

    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    form = soup(client.get("/book/details/"))
    assert form.select_one("#id_email")["value"] == ADA
    sent = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": ADA,
        "phone": form.select_one("#id_phone")["value"],
        "date_of_birth": form.select_one("#id_date_of_birth")["value"],
        "website": "",
    }
    mail.outbox.clear()
    assert client.post("/book/details/", sent)["Location"] == "/book/health-questions/"
    assert mail.outbox == []  # the address is proven already: no code
    page = soup(client.get("/book/health-questions/"))
    assert page.select_one("#id_changes") and not page.select_one("#id_pain_areas_0")


@pytest.mark.django_db
def test_the_page_runs_the_same_few_queries_however_many_visits(ada):
    book(start=local(MONDAY, 9), patient=ada)
    client = signed_in()

    def counted() -> int:
        client.get("/my/")
        with CaptureQueriesContext(connection) as context:
            assert client.get("/my/").status_code == 200
        return len(context.captured_queries)

    few = counted()
    for n in range(6):
        book(start=local(MONDAY + dt.timedelta(days=1 + n % 4), 9 + n // 4 * 2), patient=ada)
    join(details=ada)
    assert counted() == few <= 12


@pytest.mark.django_db
def test_asking_for_links_is_limited_per_email(ada):
    book(start=local(MONDAY, 9), patient=ada)
    mail.outbox.clear()
    answers = [ask_for_link(Client(), ADA).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_header_and_the_emails_link_to_my_appointments(
    ada, soup, django_capture_on_commit_callbacks
):
    from tests.booking.walk import confirm, walk_to_review

    client = Client()
    walk_to_review(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booked, _ = confirm(client)
    page = soup(client.get(booked["Location"]))
    assert page.select_one('header a[href="/my/"]')
    assert page.select_one('main a[href="/my/"]')  # the confirmation page
    [to_patient] = [m for m in mail.outbox if m.to == [ADA]]
    assert "/my/" in to_patient.body


@pytest.mark.django_db
def test_the_patient_downloads_their_own_data_with_their_answers(ada):
    import json

    from wagtail.models import ModelLogEntry

    from booking.privacy import EXPORT_ACTION

    mine = book(start=local(MONDAY, 9), patient=ada)
    book(start=local(MONDAY, 11), patient=details(first_name="Grace"))
    client = signed_in()
    response = client.post("/my/download/")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="my-appointments.json"'
    data = json.loads(response.content)
    text = response.content.decode()
    assert mine.service.name in text
    assert "Grace" not in text and "Ada" in text
    assert any(a.get("intake") for a in data["appointments"])
    logged = ModelLogEntry.objects.filter(action=EXPORT_ACTION, object_id=str(mine.patient.pk))
    assert logged.get().data == {"via": "patient"}
    assert Client().post("/my/download/")["Location"] == "/my/"  # signed out: nothing


@pytest.mark.django_db
def test_spent_sign_in_links_are_purged_a_day_on(ada):
    from booking.patients.links import sign_in_link_create, sign_in_links_purge

    patient = book(start=local(MONDAY, 9), patient=ada).patient
    sign_in_link_create(patient=patient)
    assert sign_in_links_purge() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=16)):
        assert sign_in_links_purge() == 1
