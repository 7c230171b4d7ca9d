"""The waiting list in a real browser: a full week, a patient with a later booking asks for
something sooner and joins the list, another patient cancels, the first gets the email,
claims the time and has their later appointment moved."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking import selectors
from booking.models import Appointment, AppointmentStatus, Service, WaitlistEntry
from tests.clock import next_weekday
from tests.factories.bookings import book, manage_token, returning

from . import steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fill_the_week(service, practitioner, monday) -> list[Appointment]:
    """Every free time of the practitioner's week booked, each by another patient."""
    booked = []
    while free := selectors.slot_list_free(
        service=service, practitioner=practitioner, first_day=monday, days=7, now=timezone.now()
    ):
        booked.append(
            book(
                start=free[0].start,
                service=service.slug,
                who=practitioner,
                patient=returning(who=practitioner, email=f"full{len(booked)}@example.com"),
            )
        )
    return booked


def adas(inbox, subject: str) -> list:
    return [m for m in inbox.messages if m["To"] == "ada@example.com" and subject in m["Subject"]]


def test_a_patient_joins_the_list_and_claims_a_freed_time_that_moves_their_booking(
    page, smtp_inbox, settings
):
    # The week is filled by patients who share the factories' phone number: above the cap
    # on one number's upcoming online bookings.
    settings.ONLINE_BOOKINGS_AHEAD = 100
    service = Service.objects.get(slug="follow-up-treatment")
    practitioner = selectors.practitioner_list_for_service(service=service)[0]
    monday = next_weekday(0, weeks_ahead=2)
    week = fill_the_week(service, practitioner, monday)
    assert week, "the practitioner works that week"
    born = dt.date.fromisoformat(steps.DATE_OF_BIRTH)
    [later, *_] = selectors.slot_list_free(
        service=service,
        practitioner=practitioner,
        first_day=monday + dt.timedelta(weeks=2),
        days=7,
        now=timezone.now(),
    )
    later = book(
        start=later.start,
        service=service.slug,
        who=practitioner,
        patient=returning(
            who=practitioner,
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.com",
            date_of_birth=born,
        ),
    )

    # Ada wants something sooner: from her booking's page, onto the list for the full week.
    page.goto(f"/book/appointment/{manage_token(later)}/")
    page.get_by_role("link", name="Join the waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("Until").fill((monday + dt.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Continue").click()
    steps.fill_details(page)
    page.get_by_label("What has changed since your last visit?").fill("A little better.")
    page.get_by_role("group", name="How strong is the pain right now").get_by_label(
        "4", exact=True
    ).check()
    steps.tick_checklists(page)
    page.get_by_role("button", name="Continue to the summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and join")
    steps.consent(page, returning=True)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place on the waiting list")
    entry = WaitlistEntry.objects.get()
    assert entry.move_appointment_id == later.pk

    # Someone in the full week cancels through their own link.
    freed = week[len(week) // 2]
    other = page.context.new_page()
    other.goto(f"/book/appointment/{manage_token(freed)}/cancel/")
    other.get_by_role("button", name="Yes, cancel it").click()
    expect(other.get_by_text("Your appointment is cancelled.")).to_be_visible()

    # Ada's email: the time, the practitioner, the claim link; no calendar file yet.
    offers = [
        m
        for m in smtp_inbox.messages
        if m["To"] == "ada@example.com" and "come free" in m["Subject"]
    ]
    assert len(offers) == 1
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in offers[0].walk()
        if part.get_content_maintype() == "text"
    }
    assert set(parts) == {"text/plain", "text/html"}  # no calendar file yet
    body = parts["text/plain"]
    assert practitioner.name in body and practitioner.name in parts["text/html"]
    assert not any("A little better" in text for text in parts.values())
    claim = re.search(r"https?://\S+/book/waiting-list/claim/\S+/", body).group(0)
    page.goto("/book/" + claim.split("/book/", 1)[1])  # SITE_URL is not the live server
    page.get_by_role("button", name="Claim this time").click()
    steps.expect_booked(page)

    claimed = Appointment.objects.get(patient=later.patient, status=AppointmentStatus.CONFIRMED)
    assert claimed.starts_at == freed.starts_at
    later.refresh_from_db()
    assert later.status == AppointmentStatus.CANCELLED
    confirmations = [
        m
        for m in smtp_inbox.messages
        if m["To"] == "ada@example.com" and "confirmed" in m["Subject"]
    ]
    assert confirmations and any(
        p.get_content_type() == "text/calendar" for p in confirmations[-1].walk()
    )
