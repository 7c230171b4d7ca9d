"""A course of six from the booking's confirmation page, on a phone without JavaScript: one
date taken meanwhile, a nearby time picked for it, then "this and the following" cancelled
from one session's own link."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking.models import Appointment, AppointmentStatus
from tests.factories import book, details

from . import steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTH = 390


def phone(new_context) -> Page:
    context = new_context(
        viewport={"width": WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    return context.new_page()


def fits(page: Page, where: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= WIDTH, f"{where} is {wide} px wide on a {WIDTH} px screen"


def test_a_course_of_six_from_the_confirmation_page_then_cancel_the_following(new_context):
    page = phone(new_context)
    page.goto("/book/")
    steps.choose_service(page, service="Follow-up treatment", touch=True)
    steps.choose_first_time(page, touch=True)
    steps.fill_details(page, touch=True)
    steps.answer_health_questions(page, touch=True)
    steps.review_time(page)
    page.get_by_role("button", name="Confirm the booking").tap()
    steps.expect_booked(page)
    first = Appointment.objects.get(patient__email="ada@example.com")

    # Someone else takes the second date of the course before Ada asks for it.
    tz = timezone.get_default_timezone()
    local = first.starts_at.astimezone(tz)
    second = (local.replace(tzinfo=None) + dt.timedelta(weeks=2)).replace(tzinfo=tz)
    book(start=second, service=first.service.slug, who=first.practitioner, patient=details())

    page.get_by_role("link", name="Book more sessions").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book more sessions")
    page.get_by_label("How many more sessions?").select_option("6")
    page.get_by_role("group", name="How often?").get_by_label("Every week").check()
    page.get_by_role("button", name="Show the dates").tap()
    rows = page.locator("fieldset.course-row")
    expect(rows).to_have_count(6)
    fits(page, "the course preview")
    taken = rows.nth(1)
    expect(taken.locator("legend")).to_contain_text("(taken)")
    free = page.locator("fieldset.course-row:not(.course-row--unavailable)").count()
    taken.locator("label").first.tap()  # the first nearby time
    page.get_by_role("button", name="Book the dates chosen").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status").first).to_contain_text(f"{free + 1} of 6 sessions booked.")
    sessions = list(
        Appointment.objects.filter(course__isnull=False, patient=first.patient).order_by(
            "starts_at"
        )
    )
    assert len(sessions) == free + 2  # with the first
    assert sessions[2].starts_at != second
    fits(page, "the manage page with its course")

    # From the third session's own link: cancel it and every one after it.
    page.locator(".course__sessions a").nth(2).tap()
    expect(page.locator(".course__sessions [aria-current=page]")).to_have_count(1)
    page.get_by_label("This and the following sessions").check()
    page.get_by_role("button", name="Cancel…").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Cancel this and the following sessions")
    )
    fits(page, "the cancel page")
    page.get_by_role("button", name="Yes, cancel them").tap()
    expect(page.get_by_role("status").first).to_contain_text(f"{len(sessions) - 2} cancelled.")

    statuses = [
        a.status for a in Appointment.objects.filter(patient=first.patient).order_by("starts_at")
    ]
    assert statuses == [AppointmentStatus.CONFIRMED] * 2 + [AppointmentStatus.CANCELLED] * (
        len(sessions) - 2
    )
