"""The private link in the confirmation email: see, cancel, move."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from booking.models import AppointmentStatus
from booking.tokens import new_secret
from tests.booking.walk import slot_value
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token

MONDAY = next_weekday(0)


@pytest.fixture
def appointment():
    return book(start=local(MONDAY, 10))


def manage_url(appointment, name="booking:manage"):
    return reverse(name, args=[manage_token(appointment)])


@pytest.mark.django_db
def test_the_link_shows_the_appointment_without_health_information(client, soup, appointment):
    page = soup(client.get(manage_url(appointment)))
    text = page.get_text(" ")
    assert "Follow-up treatment with Rosa Lind" in text
    assert "Monday" in text and "10:00 AM" in text and "Eastern Time" in text
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert client.get(manage_url(appointment))["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_tampered_or_unknown_tokens_are_not_found(client, appointment):
    token = manage_token(appointment)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [changed, "nonsense", token[:20], appointment.public_id.hex]:
        assert client.get(reverse("booking:manage", args=[bad])).status_code == 404

    assert client.get(reverse("booking:manage", args=[new_secret()])).status_code == 404


@pytest.mark.django_db
def test_cancelling_through_the_link_frees_the_time_and_sends_a_cancellation(
    client, soup, appointment, django_capture_on_commit_callbacks
):
    asked = soup(client.get(manage_url(appointment, "booking:cancel")))
    assert asked.h1.get_text() == "Cancel your appointment?"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED  # asking cancels nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(appointment, "booking:cancel"))
    appointment.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == manage_url(appointment)
    assert appointment.status == AppointmentStatus.CANCELLED
    shown = soup(client.get(response["Location"]))
    assert shown.select_one('[role="status"]').get_text(strip=True) == (
        "Your appointment is cancelled."
    )
    patient_mail = next(m for m in mail.outbox if m.to == [appointment.patient.email])
    calendar = icalendar.Calendar.from_ical(patient_mail.attachments[0][1])
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    client.post(
        "/book/", {"service": appointment.service_id, "practitioner": appointment.practitioner_id}
    )
    times = client.get(f"/book/time/?week={MONDAY.isoformat()}").content.decode()
    assert slot_value(appointment.starts_at, appointment.practitioner_id) in times


@pytest.mark.django_db
def test_moving_through_the_link_sends_an_update_with_a_higher_sequence(
    client, appointment, django_capture_on_commit_callbacks
):
    url = manage_url(appointment, "booking:reschedule")
    page = client.get(url + f"?week={MONDAY.isoformat()}").content.decode()
    new_time = slot_value(local(MONDAY, 14), appointment.practitioner_id)
    assert new_time in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"slot": new_time})
    appointment.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == manage_url(appointment)
    assert appointment.starts_at == local(MONDAY, 14)
    assert "Your appointment has moved." in client.get(response["Location"]).content.decode()
    patient_mail = next(m for m in mail.outbox if m.to == [appointment.patient.email])
    [event] = icalendar.Calendar.from_ical(patient_mail.attachments[0][1]).walk("VEVENT")
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == local(MONDAY, 14)
    assert str(event["uid"]).startswith(f"appointment-{appointment.public_id}")


@pytest.mark.django_db
def test_inside_the_window_the_page_gives_the_phone_instead(client, soup, appointment):
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=3)):
        page = soup(client.get(manage_url(appointment)))
        asked = client.get(manage_url(appointment, "booking:cancel"))
        refused = client.post(manage_url(appointment, "booking:cancel"))
        told = soup(client.get(manage_url(appointment)))
    assert "too late to change" in page.get_text()
    assert "(555) 010-4477" in page.get_text()
    assert not page.select('a[href$="/cancel/"]')
    assert asked.status_code == 302  # no "are you sure?" for what cannot be done
    assert refused.status_code == 302
    assert "too late" in told.select_one('[role="alert"]').get_text().lower()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_the_link_stops_working_once_the_appointment_is_over(client, appointment, settings):
    settings.COURSE_REQUEST_DAYS_AFTER = 0
    with time_machine.travel(appointment.ends_at + dt.timedelta(minutes=1)):
        assert client.get(manage_url(appointment)).status_code == 404
        assert client.post(manage_url(appointment, "booking:cancel")).status_code == 404


@pytest.mark.django_db
def test_guessing_tokens_is_stopped_after_a_few_tries_but_the_right_link_still_opens(
    client, appointment
):
    wrong = reverse("booking:manage", args=[new_secret()])
    for _ in range(20):
        assert client.get(wrong).status_code == 404
    blocked = client.get(wrong)
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.content
    assert client.get(wrong, REMOTE_ADDR="198.51.100.7").status_code == 404
    assert client.get(manage_url(appointment)).status_code == 200  # the patient's own link


@pytest.mark.django_db
def test_the_confirmation_offers_the_calendar_file_to_download(client, soup, appointment):
    page = soup(client.get(manage_url(appointment)))
    link = page.find("a", string="Add to your calendar")
    assert link["href"] == manage_url(appointment, "booking:calendar_file")
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.starts_at
    assert str(event["attendee"]) == f"mailto:{appointment.patient.email}"
    assert appointment.patient.last_name.encode() not in response.content
