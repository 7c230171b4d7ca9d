"""A patient's journeys through the real site in a real browser: from an article to a booking
on a phone, a warning sign that stops the booking, a time taken by someone else at the last
moment, and cancelling through the private link in the email."""

import datetime as dt
import re

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

from blog.models import ArticlePage
from booking.models import Appointment, AppointmentStatus, Intake, Patient, Practitioner
from tests.booking.walk import slot_value
from tests.clock import local, next_weekday
from tests.factories.bookings import book, returning

from . import steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def expect_styled_and_fitting(page, width: int) -> None:
    """The stylesheet arrived and applies, and nothing is wider than the screen."""
    loaded = page.evaluate(
        """() => [...document.styleSheets].some(
            sheet => sheet.href && sheet.href.includes('/static/') && sheet.cssRules.length > 0)"""
    )
    assert loaded, "the site's stylesheet did not load"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def change_link(page, row: str):
    """The "Change" link on one row of the review page's summary."""
    term = page.locator("dt", has_text=re.compile(f"^{row}$"))
    return page.locator(".summary div", has=term).get_by_role("link", name="Change")


def calendar_event(message) -> icalendar.Event:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]


def test_from_an_article_on_a_phone_to_a_confirmed_booking_with_a_calendar_email(
    new_context, smtp_inbox
):
    article = ArticlePage.objects.get(slug="your-first-visit")
    page = new_context(**PHONE).new_page()

    page.goto("/articles/")
    expect_styled_and_fitting(page, 390)
    page.get_by_role("link", name=article.title).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect_styled_and_fitting(page, 390)

    cta = page.get_by_role("complementary", name="Ready for your first visit?")
    button = cta.get_by_role("link", name="Book this session")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    assert button.get_attribute("href") == f"/book/?service=new-patient-visit&source={article.pk}"
    button.tap()

    # The article chose the session: its times come first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    expect(page.locator(".lead")).to_contain_text("New patient visit")
    expect_styled_and_fitting(page, 390)
    slot = steps.choose_first_time(page, touch=True)
    steps.fill_details(page, touch=True)
    steps.answer_health_questions(page, touch=True)
    assert steps.same_moment(steps.review_time(page), slot.shown)
    steps.confirm(page, touch=True)

    steps.expect_booked(page)
    expect(page.get_by_text("We've sent the details to ada@example.com")).to_be_visible()
    appointment = Appointment.objects.select_related("patient", "source_page").get()
    assert appointment.starts_at == slot.start
    assert appointment.practitioner_id == slot.practitioner_id
    assert appointment.source_page_id == article.pk
    assert appointment.patient.email == "ada@example.com"

    confirmations = [m for m in smtp_inbox.messages if m["To"] == "ada@example.com"]
    assert [m["Subject"] for m in confirmations] == [
        "Cedar Street Acupuncture: Your appointment is confirmed"
    ]
    event = calendar_event(confirmations[0])
    assert event.decoded("dtstart") == slot.start
    assert event.decoded("dtstart") == dt.datetime.fromisoformat(slot.shown)


def test_a_warning_sign_leads_to_a_doctor_and_nothing_is_kept(page):
    page.goto("/book/")
    steps.choose_service(page, service="New patient visit")
    steps.choose_first_time(page)
    steps.fill_details(page)
    steps.answer_health_questions(page, red_flag="red_weakness")

    expect(page.get_by_role("heading", level=1)).to_have_text("Please get emergency care now")
    expect(page.get_by_text("We have not booked anything")).to_be_visible()
    assert not Appointment.objects.exists()
    assert not Patient.objects.exists()
    assert not Intake.objects.exists()

    # The health answers are not kept: nothing to confirm, and the questions are blank again.
    page.goto("/book/review/")
    expect(page).to_have_url(re.compile(r"/book/health-questions/$"))
    expect(page.locator("input[name=emergency_signs]:checked")).to_have_count(0)
    expect(page.get_by_label("What makes it worse?")).to_have_value("")


def test_a_time_taken_while_the_patient_reviews_offers_nearby_times_and_keeps_every_answer(
    page, context
):
    page.goto("/book/")
    steps.choose_service(page, service="New patient visit")
    slot = steps.choose_first_time(page)
    steps.fill_details(page)
    steps.answer_health_questions(page)
    steps.review_time(page)

    # Someone else books that very time while this patient reads the summary.
    book(
        start=slot.start,
        service="new-patient-visit",
        who=Practitioner.objects.get(pk=slot.practitioner_id),
    )
    steps.confirm(page)

    expect(page.get_by_role("alert")).to_contain_text("Someone has just booked that time")
    nearby = page.get_by_role("group", name="The nearest free times").get_by_role("radio")
    expect(nearby.first).to_be_checked()
    offered = [nearby.nth(n).input_value() for n in range(nearby.count())]
    assert offered and slot.value not in offered
    summary = page.locator(".summary")
    for value in steps.PATIENT.values():
        expect(summary).to_contain_text(value)

    # The answers, opened from the summary's "Change" links in new tabs, are all there.
    with context.expect_page() as opened:
        change_link(page, "Name").click(modifiers=["Control"])
    details = opened.value
    details.wait_for_load_state()
    for label, value in steps.PATIENT.items():
        expect(details.get_by_label(label)).to_have_value(value)
    expect(details.get_by_label("Date of birth")).to_have_value(steps.DATE_OF_BIRTH)
    details.close()

    with context.expect_page() as opened:
        change_link(page, "Health questions").click(modifiers=["Control"])
    answers = opened.value
    answers.wait_for_load_state()
    expect(answers.get_by_label("Lower back")).to_be_checked()
    expect(
        answers.get_by_role("group", name="How strong is the pain").get_by_label("6", exact=True)
    ).to_be_checked()
    expect(answers.get_by_label("What makes it worse?")).to_have_value(steps.WORSE)
    for question in steps.CHECKLISTS:
        group = answers.get_by_role("group", name=question)
        expect(group.get_by_label("None of these", exact=True)).to_be_checked()
    # Consent is not an answer the site keeps: it is given afresh whenever the form is sent.
    answers.close()

    page.get_by_role("button", name="Book the time I chose above").click()
    steps.expect_booked(page)
    mine = Appointment.objects.get(patient__email="ada@example.com")
    assert f"{mine.starts_at.isoformat()}|{mine.practitioner_id}" == offered[0]
    assert mine.intake.pain_score == 6


def test_the_manage_link_in_the_email_cancels_and_the_time_is_offered_again(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url  # the email's link leads to this server
    mei = Practitioner.objects.get(profile__slug="mei-lin-harper")
    monday = next_weekday(0)
    ten = slot_value(local(monday, 10), mei.pk)
    mail.outbox.clear()
    appointment = book(start=local(monday, 10), who=mei, patient=returning(who=mei))

    page.goto("/book/")
    steps.choose_service(page, service="Follow-up treatment", who="Mei Lin Harper")
    week = f"/book/time/?week={monday.isoformat()}&day={monday.isoformat()}"
    page.goto(week)
    expect(page.get_by_role("heading", name=monday.strftime("%A, %B %-d"))).to_be_visible()
    expect(page.locator(f'button[name=slot][value="{ten}"]')).to_have_count(0)

    (confirmation,) = [m for m in mail.outbox if m.to == [appointment.patient.email]]
    link = re.search(r"^See, move or cancel this appointment: (\S+)$", confirmation.body, re.M)
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    page.get_by_role("link", name="Cancel this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_role("status")).to_have_text("Your appointment is cancelled.")
    expect(page.locator(".summary")).to_contain_text("Cancelled")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED

    page.goto(week)
    expect(page.locator(f'button[name=slot][value="{ten}"]')).to_have_count(1)
