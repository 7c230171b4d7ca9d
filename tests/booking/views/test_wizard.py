"""A patient books from an article: service, time, details, intake, review, confirmation."""

import datetime as dt

import icalendar
import pytest
from django.core import mail

from blog.models import ArticlePage
from booking.models import Appointment, Patient, Practitioner, Service
from tests.booking.walk import (
    CONSENT,
    confirm,
    details_data,
    first_slot,
    intake_data,
    prove_email,
    slot_value,
    walk_to_review,
)
from tests.clock import local, next_weekday
from tests.factories.bookings import seen


def parse_ics(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name == "appointment.ics" and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


@pytest.mark.demo
@pytest.mark.django_db
def test_booking_from_an_article_end_to_end(client, soup, django_capture_on_commit_callbacks):
    article = ArticlePage.objects.get(slug="your-first-visit")
    cta = soup(client.get(article.url)).select_one(".booking-cta a.button")["href"]
    # The call to action names the session: it leads straight to that session's times.
    assert client.get(cta)["Location"] == "/book/time/"
    times = soup(client.get("/book/time/"))
    assert "New patient visit" in times.select_one(".lead").get_text()

    response, slot = walk_to_review(client, source=article.pk)
    assert response["Location"] == "/book/review/"
    with django_capture_on_commit_callbacks(execute=True):
        booked, _ = confirm(client)

    appointment = Appointment.objects.get()
    assert booked.status_code == 302
    assert booked["Location"].startswith("/book/appointment/")
    assert appointment.source_page_id == article.pk
    assert appointment.starts_at.isoformat() == slot.split("|")[0]
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=75)
    assert appointment.blocked_until - appointment.ends_at == dt.timedelta(minutes=10)
    assert appointment.intake.pain_score == 6
    assert appointment.intake.consented_at is not None
    assert appointment.is_first_visit and appointment.flags == []

    confirmation = soup(client.get(booked["Location"]))
    assert "You're booked" in confirmation.get_text()

    patient_mail, practitioner_mail = mail.outbox
    assert patient_mail.to == ["ada@example.com"]
    calendar = parse_ics(patient_mail)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("dtstart") == appointment.starts_at
    assert event.decoded("dtend") == appointment.ends_at
    assert str(event["summary"]) == "Acupuncture appointment"
    assert str(event["uid"]) == f"appointment-{appointment.public_id}@127.0.0.1"
    assert int(event["sequence"]) == 0
    assert "120 Cedar Street" in str(event["location"])
    assert str(event["organizer"]) == "mailto:hello@cedarstreetacupuncture.example"
    assert practitioner_mail.subject.endswith("New booking")


@pytest.mark.django_db
def test_a_booked_time_is_no_longer_offered(client):
    walk_to_review(client)
    confirm(client)
    appointment = Appointment.objects.get()
    other = client.__class__()
    other.post(
        "/book/", {"service": appointment.service_id, "practitioner": appointment.practitioner_id}
    )
    times = other.get("/book/time/").content.decode()
    assert appointment.starts_at.isoformat() not in times


@pytest.mark.django_db
def test_each_time_carries_its_exact_instant_and_the_zone_is_named(client, soup):
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    page = soup(client.get("/book/time/"))
    first = page.select_one(".slot-buttons time")
    instant = dt.datetime.fromisoformat(first["datetime"])
    assert instant.utcoffset() in {dt.timedelta(hours=-5), dt.timedelta(hours=-4)}
    assert "Eastern Time" in page.select_one(".zone-note").get_text()
    value = page.select_one('.slot-buttons button[name="slot"]')["value"]
    assert dt.datetime.fromisoformat(value.split("|")[0]) == instant


@pytest.mark.django_db
def test_week_by_week_navigation(client, soup):
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    first = soup(client.get("/book/time/"))
    later = next(a["href"] for a in first.select(".week-nav a") if "Later" in a.get_text())
    second = soup(client.get("/book/time/" + later))
    first_days = {a["href"] for a in first.select(".day-strip a")}
    second_days = {a["href"] for a in second.select(".day-strip a")}
    assert second_days and not first_days & second_days
    assert second.select_one(".week-nav a")  # a way back
    assert not any("Earlier" in a.get_text() for a in first.select(".week-nav a"))


@pytest.mark.django_db
def test_the_time_step_shows_one_day_and_names_who_is_free_at_each_time(client, soup):
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    page = soup(client.get("/book/time/"))
    strip = page.select(".day-strip a")
    assert len(strip) >= 2 and strip[0].get("aria-current") == "date"
    names = {
        b.select_one(".slot-button__who").get_text() for b in page.select(".slot-buttons button")
    }
    assert names <= {"Rosa Lind", "Omar Haddad"} and names
    other_day = soup(client.get("/book/time/" + strip[1]["href"]))
    assert other_day.select(".day-strip a")[1].get("aria-current") == "date"
    assert other_day.h2.get_text() != page.h2.get_text()


@pytest.mark.django_db
def test_red_flag_answers_stop_the_booking_kindly(client, soup):
    response, _ = walk_to_review(client, answers=intake_data(red_bladder="yes"))
    assert response.status_code == 200
    text = soup(response).get_text(" ")
    assert "emergency department now" in text and "911" in text and "(555) 010-4477" in text
    assert Appointment.objects.count() == 0
    # The answers are not kept: nothing to confirm, and the questions are asked again.
    assert client.get("/book/review/")["Location"] == "/book/health-questions/"


@pytest.mark.django_db
def test_an_implanted_device_rules_out_electrical_stimulation(client, soup):
    response, _ = walk_to_review(
        client, service="electroacupuncture", answers=intake_data(screen_implant="yes")
    )
    assert response["Location"] == "/book/?changed=electrical"
    page = soup(client.get(response["Location"]))
    assert "pacemaker" in page.select_one(".notice").get_text()
    assert "seizures" in page.select_one(".notice").get_text()
    offered = {label.get_text(" ", strip=True) for label in page.select("#div_id_service label")}
    assert not any("electro" in text.lower() for text in offered)

    electro = Service.objects.get(slug="electroacupuncture")
    refused = client.post("/book/", {"service": electro.pk})
    assert refused.status_code == 200 and Appointment.objects.count() == 0

    follow_up = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": follow_up.pk})
    picked = client.post("/book/time/", {"slot": first_slot(client.get("/book/time/"))})
    assert picked["Location"] == "/book/review/"  # the answers are kept
    confirm(client)
    assert Appointment.objects.get().flags == ["implant"]


@pytest.mark.django_db
def test_screening_answers_flag_the_appointment(client):
    answers = intake_data(screen_blood_thinners="yes", screen_pregnancy="yes", screen_fainted="yes")
    walk_to_review(client, answers=answers)
    confirm(client)
    assert Appointment.objects.get().flags == ["blood_thinners", "pregnancy", "fainted"]


@pytest.mark.django_db
def test_returning_patients_get_the_short_form_and_no_second_record(client, soup):
    walk_to_review(client)
    confirm(client)
    seen(Appointment.objects.get())  # the visit kept: now a returning patient

    again = client.__class__()
    details = details_data(email="ADA@example.com")
    service = Service.objects.get(slug="follow-up-treatment")
    again.post("/book/", {"service": service.pk})
    again.post("/book/time/", {"slot": first_slot(again.get("/book/time/"))})
    assert prove_email(again, details)["Location"] == "/book/health-questions/"
    form = soup(again.get("/book/health-questions/"))
    assert form.select_one("#id_changes") and not form.select_one("#id_pain_areas_0")
    answered = again.post("/book/health-questions/", intake_data(returning=True, pain_score="3"))
    assert answered["Location"] == "/book/review/"
    confirm(again)

    assert Patient.objects.count() == 1
    first, second = Appointment.objects.order_by("created_at")
    assert second.patient == first.patient and not second.is_first_visit
    assert [first.intake.pain_score, second.intake.pain_score] == [6, 3]
    assert second.intake.kind == "returning"


@pytest.mark.django_db
def test_someone_not_matched_to_an_earlier_visit_gets_the_full_form(client, soup):
    walk_to_review(client)
    confirm(client)
    again = client.__class__()
    again.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    again.post("/book/time/", {"slot": first_slot(again.get("/book/time/"))})
    # The same email with another date of birth is not the same patient.
    again.post("/book/details/", details_data(date_of_birth="1981-05-01"))
    page = soup(again.get("/book/health-questions/"))
    assert page.select_one("#id_pain_areas_0")
    assert "Welcome back" not in page.get_text()


@pytest.mark.django_db
def test_invalid_answers_are_listed_linked_and_nothing_typed_is_lost(client, soup):
    response, _ = walk_to_review(client, answers=intake_data(pain_score="", worse="Long drives"))
    page = soup(response)
    assert response.status_code == 400
    links = {a["href"] for a in page.select(".error-summary a")}
    assert "#id_pain_score_0" in links
    assert page.select_one("#id_pain_score_0")
    assert page.select_one("#id_worse").get_text().strip() == "Long drives"
    assert page.select_one("#id_worse").find_parent("details").has_attr("open")
    assert page.select(".invalid-feedback, .errorlist")
    for control in page.select("input:not([type=hidden]), select, textarea"):
        assert page.select_one(f'label[for="{control["id"]}"]'), control


@pytest.mark.django_db
def test_the_consent_is_given_on_the_summary_and_nothing_is_booked_without_it(client, soup):
    walk_to_review(client)
    page = soup(client.get("/book/review/"))
    assert "injury to a nerve" in page.select_one(".consent-text").get_text()
    assert not soup(client.get("/book/health-questions/")).select_one("#id_consent_treatment")
    key = page.select_one('input[name="idempotency_key"]')["value"]
    refused = client.post("/book/review/", {"idempotency_key": key, "consent_treatment": "on"})
    page = soup(refused)
    assert refused.status_code == 400
    assert {a["href"] for a in page.select(".error-summary a")} == {"#id_policies_ack"}
    assert page.select_one("#id_consent_treatment").has_attr("checked")  # kept as ticked
    assert not Appointment.objects.exists()
    booked = client.post("/book/review/", {"idempotency_key": key, **CONSENT})
    assert booked.status_code == 302
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_tampered_or_stale_time_is_refused_without_an_error_page(client):
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk})
    practitioner = Practitioner.objects.first()
    for value in [
        "nonsense",
        "2020-01-01T10:00:00+00:00|1",
        f"2030-01-01T03:07:00+00:00|{practitioner.pk}",
        "x|y|z",
    ]:
        response = client.post("/book/time/", {"slot": value})
        assert response.status_code == 400
        assert b"choose" in response.content.lower()


@pytest.mark.django_db
def test_patients_may_choose_a_practitioner_or_the_first_available(client, soup):
    page = soup(client.get("/book/"))
    labels = [label.get_text(strip=True) for label in page.select("#div_id_practitioner label")]
    assert "First available" in labels
    assert {"Rosa Lind", "Omar Haddad"} <= set(labels)
    omar = Practitioner.objects.get(profile__slug="omar-haddad")
    follow_up = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": follow_up.pk, "practitioner": omar.pk})
    offered = {
        value.split("|")[1]
        for value in (
            i["value"] for i in soup(client.get("/book/time/")).select('button[name="slot"]')
        )
    }
    assert offered == {str(omar.pk)}


@pytest.mark.django_db
def test_with_the_first_available_the_patient_gets_whom_the_time_was_shown_with(client):
    follow_up = Service.objects.get(slug="follow-up-treatment")
    rosa, omar = (Practitioner.objects.get(profile__slug=s) for s in ("rosa-lind", "omar-haddad"))
    assert rosa.pk < omar.pk  # Rosa would be asked first
    tuesday = next_weekday(1)
    walk_to_review(client, service=follow_up.slug, slot=slot_value(local(tuesday, 11), omar.pk))
    assert "Omar Haddad" in client.get("/book/review/").content.decode()
    booked, _ = confirm(client)
    assert booked.status_code == 302
    assert Appointment.objects.get().practitioner == omar
