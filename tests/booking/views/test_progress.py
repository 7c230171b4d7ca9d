"""The PEG's three questions before a visit: asked by the manage link (the confirmation's,
the reminder's) and on "My appointments", optional, kept encrypted, never in an email or a
log, and not asked at all when the practice switches it off."""

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from booking import emails, encryption, tasks
from booking.models import BookingPolicy, PegReport
from booking.progress.peg import PegAnswers
from tests.booking.views.test_my_appointments import ADA, signed_in
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details, manage_token

MONDAY = next_weekday(0)
ANSWERS = {"pain": "7", "enjoyment": "6", "activity": "7"}  # score 6.7


@pytest.fixture
def appointment():
    return book(start=local(MONDAY, 10), patient=details(email=ADA, first_name="Ada"))


def progress_url(appointment) -> str:
    return reverse("booking:progress", args=[manage_token(appointment)])


@pytest.mark.django_db
def test_the_manage_page_offers_the_questions_and_skipping_keeps_nothing(client, appointment):
    page = client.get(reverse("booking:manage", args=[manage_token(appointment)]))
    assert progress_url(appointment) in page.content.decode()
    asked = client.get(progress_url(appointment)).content.decode()
    assert "What number best describes your pain on average in the past week?" in asked
    assert "interfered with your enjoyment of life" in asked
    assert "interfered with your general activity" in asked
    skip = re.search(r'<a href="([^"]+)">Skip these questions</a>', asked)[1]
    assert skip == reverse("booking:manage", args=[manage_token(appointment)])
    assert not PegReport.objects.exists()


@pytest.mark.django_db
def test_answers_are_kept_encrypted_and_can_be_changed_before_the_visit(
    client, caplog, appointment
):
    caplog.set_level(logging.DEBUG)
    sent = client.post(progress_url(appointment), ANSWERS)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("booking:manage", args=[manage_token(appointment)])
    report = PegReport.objects.get(appointment=appointment)
    assert report.peg == PegAnswers(7, 6, 7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM booking_pegreport WHERE id = %s", [report.pk])
        [stored] = cursor.fetchone()
    assert '"pain"' not in stored and "7" not in stored.split("gAAAA", 1)[0]
    assert encryption.decrypt_json(stored.strip('"')) == {"activity": 7, "enjoyment": 6, "pain": 7}

    again = client.get(progress_url(appointment)).content.decode()
    assert re.search(r'value="6"[^>]*checked|checked[^>]*value="6"', again)  # filled in
    client.post(progress_url(appointment), {**ANSWERS, "pain": "4"})
    assert PegReport.objects.get().peg.pain == 4 and PegReport.objects.count() == 1
    assert "6.7" not in caplog.text and "5.7" not in caplog.text


@pytest.mark.django_db
def test_a_missing_answer_says_so_and_keeps_the_others(client, appointment):
    response = client.post(progress_url(appointment), {"pain": "7", "enjoyment": "11"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please choose a number from 0 to 10, or skip these questions." in page
    assert re.search(r'value="7"[^>]*checked|checked[^>]*value="7"', page)
    assert not PegReport.objects.exists()


@pytest.mark.django_db
def test_not_asked_once_the_visit_has_started(client, appointment):
    with time_machine.travel(appointment.starts_at + dt.timedelta(minutes=1)):
        assert client.get(progress_url(appointment)).status_code == 404
        assert client.post(progress_url(appointment), ANSWERS).status_code == 404
    assert not PegReport.objects.exists()


@pytest.mark.django_db
def test_the_practice_can_switch_it_off(client, appointment):
    BookingPolicy.objects.update_or_create(defaults={"ask_peg": False})
    manage = client.get(reverse("booking:manage", args=[manage_token(appointment)]))
    assert "Your appointment" in manage.content.decode()
    assert "/progress/" not in manage.content.decode()
    assert client.get(progress_url(appointment)).status_code == 404
    assert emails.patient_email(appointment, "reminder").body.count("/progress/") == 0


@pytest.mark.django_db
def test_the_reminder_asks_with_a_link_and_no_email_holds_a_score(appointment):
    PegReport.objects.create(
        appointment=appointment, answers={"pain": 9, "enjoyment": 8, "activity": 8}
    )
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=24)):
        tasks.send_reminder.call(
            appointment_id=appointment.pk, starts_at=appointment.starts_at.isoformat()
        )
    [reminder] = mail.outbox
    everything = reminder.body + reminder.alternatives[0][0] + reminder.subject
    assert re.search(r"/book/appointment/[^/\s]+/progress/", reminder.body)
    for score in ["8.3", "8 3", "PEG", "score"]:
        assert score not in everything
    for kind in ["confirmed", "moved", "cancelled"]:
        assert "/progress/" not in emails.patient_email(appointment, kind).body


@pytest.mark.django_db
def test_my_appointments_asks_and_draws_the_patients_own_progress(appointment):
    earlier = local(MONDAY, 10) - dt.timedelta(weeks=4)
    with time_machine.travel(earlier - dt.timedelta(days=7)):
        past = book(start=earlier, patient=details(email=ADA, first_name="Ada"))
        PegReport.objects.create(
            appointment=past, answers={"pain": 8, "enjoyment": 7, "activity": 6}
        )
    client = signed_in(ADA)
    home = client.get("/my/").content.decode()
    url = reverse("my:progress", args=[appointment.public_id])
    assert url in home and "No answers yet." not in home
    sent = client.post(url, {"pain": "5", "enjoyment": "5", "activity": "4"})
    assert sent["Location"] == "/my/"
    home = client.get("/my/").content.decode()
    assert 'aria-labelledby="peg-chart-title peg-chart-desc"' in home
    assert "From 7.0 before the first visit to 4.7 before the latest, over 2 visits." in home
    assert "down 2.3 points (33% lower) since the first answers" in home
    assert "Change your answers" in home


@pytest.mark.django_db
def test_another_patients_visit_is_not_found_on_my_appointments(appointment):
    stranger = book(start=local(MONDAY, 14), patient=details(email="bo@example.com"))
    client = signed_in(ADA)
    url = reverse("my:progress", args=[stranger.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWERS).status_code == 404
    assert not PegReport.objects.exists()
