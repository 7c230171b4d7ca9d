"""A course of six from the booking's confirmation page, on a phone without JavaScript: one
date taken meanwhile, a nearby time picked for it, then "this and the following" cancelled
from one session's own link; and "this and the following" moved from one session's link."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking import selectors
from booking.courses.selectors import course_preview
from booking.courses.services import SessionChoice, course_book
from booking.models import Appointment, AppointmentStatus, Practitioner, Service
from tests.clock import next_weekday
from tests.factories.bookings import book, manage_token, returning

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
    steps.choose_service(page, service="New patient visit", touch=True)
    steps.choose_first_time(page, touch=True)
    steps.fill_details(page, touch=True)
    steps.answer_health_questions(page, touch=True)
    steps.review_time(page)
    steps.confirm(page, touch=True)
    steps.expect_booked(page)
    first = Appointment.objects.get(patient__email="ada@example.com")

    # Someone else takes the second date of the course before Ada asks for it.
    tz = timezone.get_default_timezone()
    local = first.starts_at.astimezone(tz)
    second = (local.replace(tzinfo=None) + dt.timedelta(weeks=2)).replace(tzinfo=tz)
    # The course's sessions are follow-ups (``course_service_for``), as this one is.
    who = first.practitioner
    book(start=second, who=who, patient=returning(who=who))

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


def test_move_this_and_the_following_from_one_sessions_link(new_context):
    # A weekly course of three with the demo's practitioner, at their first free time next
    # week; the second and third move to the first free time on a later day that week.
    service = Service.objects.get(slug="follow-up-treatment")
    tz = timezone.get_default_timezone()
    free = selectors.slot_list_free(
        service=service,
        practitioner=None,
        first_day=next_weekday(0),
        days=7,
        now=timezone.now(),
    )
    start = free[0]
    who = Practitioner.objects.get(pk=start.practitioner_id)
    first = book(
        start=start.start,
        service=service.slug,
        who=who,
        patient=returning(who=who, email="max@example.com"),
    )
    rows = course_preview(appointment=first, every_weeks=1, count=2, now=timezone.now())
    course_book(
        appointment=first,
        every_weeks=1,
        planned=2,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )
    sessions = list(Appointment.objects.filter(course__isnull=False).order_by("starts_at"))
    assert len(sessions) == 3
    day = start.start.astimezone(tz).date()
    later = [
        s.start for s in free if s.practitioner_id == who.pk and s.start.astimezone(tz).date() > day
    ]
    target = later[0] + dt.timedelta(weeks=1)  # a week on: the second session's week
    local_target = target.astimezone(tz)
    week = local_target.date().isoformat()

    page = phone(new_context)
    page.goto(reverse("booking:manage", args=[manage_token(sessions[1])]))
    page.get_by_role("link", name="Move to another time").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment")
    page.goto(page.url + f"?week={week}&day={week}")
    page.locator(f'label:has(time[datetime="{local_target.isoformat()}"])').tap()
    page.get_by_label("This and the following sessions").check()
    fits(page, "the move page with its scopes")
    page.get_by_role("button", name="Move to this time").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status").first).to_contain_text("2 sessions moved.")
    moved = [a.starts_at for a in Appointment.objects.filter(course__isnull=False).order_by("pk")]
    third = dt.datetime.combine(
        local_target.date() + dt.timedelta(weeks=1), local_target.time().replace(tzinfo=None)
    ).replace(tzinfo=tz)
    assert moved == [sessions[0].starts_at, target, third]
