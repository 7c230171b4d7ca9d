"""'My appointments' on a phone, from the email: the patient asks for a link, opens it from
the email the test SMTP server received, sees their own visits, moves one and cancels
another, and signs out."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking import selectors
from booking.models import AppointmentStatus, Practitioner, Service
from tests.clock import next_weekday
from tests.factories.bookings import book, returning

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "java_script_enabled": False,
}


def _book_free(monday, patient):
    """The demo practice's first free follow-up that week, booked for ``patient``."""
    service = Service.objects.get(slug="follow-up-treatment")
    [free, *_] = selectors.slot_list_free(
        service=service, practitioner=None, first_day=monday, days=5, now=timezone.now()
    )
    who = Practitioner.objects.get(pk=free.practitioner_id)
    return book(start=free.start, who=who, patient=patient)


def _text_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_my_appointments_from_the_email_on_a_phone(new_context, live_server, settings, smtp_inbox):
    settings.SITE_URL = live_server.url  # the email's link leads to this server
    monday = next_weekday(0)
    # Patients seen before: the demo's follow-ups are for them.
    earlier = Practitioner.objects.first()
    ada = returning(who=earlier, email="ada@example.com", first_name="Ada")
    first = _book_free(monday, ada)
    second = _book_free(monday, ada)
    _book_free(monday, returning(who=earlier, first_name="Grace"))
    moved_from = second.starts_at

    page = new_context(**PHONE).new_page()
    page.goto("/")
    page.get_by_text("Menu").tap()
    page.get_by_role("link", name="My appointments").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My appointments")
    page.get_by_label("Your email address").fill("ada@example.com")
    page.get_by_role("button", name="Email me a sign-in link").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [sent] = [m for m in smtp_inbox.messages if "sign in" in m["Subject"]]
    link = re.search(r"(http\S+/my/sign-in/[^/\s]+/)", _text_of(sent)).group(1)
    page.goto(link)
    page.get_by_role("button", name="See my appointments").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My appointments")
    visits = page.locator("section.visit")
    expect(visits).to_have_count(2)
    expect(page.get_by_text("Grace")).to_have_count(0)

    visits.first.get_by_role("link", name="Cancel").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
    page.get_by_role("button", name="Yes, cancel").tap()
    expect(page.get_by_role("status")).to_have_text("Your appointment is cancelled.")

    page.locator("section.visit").first.get_by_role("link", name="Move").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment")
    page.goto(page.url + f"?week={monday.isoformat()}")
    page.locator("input[name=slot]").last.check()
    page.get_by_role("button", name="Move to this time").tap()
    expect(page.get_by_role("status")).to_have_text("Your appointment has moved.")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AppointmentStatus.CANCELLED
    assert second.status == AppointmentStatus.CONFIRMED and second.starts_at != moved_from

    page.get_by_role("button", name="Sign out").tap()
    expect(page.get_by_label("Your email address")).to_be_visible()
    page.goto(link)  # used once: it does not sign in again
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
