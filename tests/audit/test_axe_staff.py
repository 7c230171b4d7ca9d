"""axe finds nothing against WCAG 2.2 AA on the staff's scheduling screens: the agenda's
week and day, and the phone booking in each of its states (nothing chosen, free times
listed, a clash with the nearest free times); and the owner's settings, lists and reports."""

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.groups import FRONT_DESK
from booking.models import Appointment, AppointmentStatus, Practitioner, Service
from demo.appointments import load_sample_appointments
from tests.browser.test_staff_journeys import PASSWORD
from tests.factories.staff import staff_member

from .test_axe import VIEWPORTS, Auditor, live

pytestmark = live


class _Report:
    def add(self, what: str) -> None:
        pass


@pytest.fixture(params=VIEWPORTS)
def staff_audit(request, browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Auditor(page)
    context.close()


def test_the_agenda_and_the_phone_booking(staff_audit):
    load_sample_appointments(_Report())
    staff_member("desk-axe", FRONT_DESK, password=PASSWORD)
    page = staff_audit.page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("desk-axe")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    # A caller new to the practice: the session open to new patients.
    first_visit = Service.objects.get(slug="new-patient-visit")
    now = timezone.now()
    [slot, *_] = selectors.slot_list_free(
        service=first_visit, practitioner=None, first_day=timezone.localdate(now), days=14, now=now
    )
    today = timezone.localtime(slot.start).date().isoformat()  # a day with free time

    page.goto("/admin/bookings/agenda/?practitioner=all")
    staff_audit("agenda: week")
    page.goto(f"/admin/bookings/agenda/?practitioner=all&view=day&date={today}")
    staff_audit("agenda: day")
    page.goto("/admin/bookings/book/")
    staff_audit("phone booking")
    page.goto(f"/admin/bookings/book/?service={first_visit.pk}&practitioner=&date={today}")
    page.locator("ul.free-times a").first.click()
    page.wait_for_load_state()
    staff_audit("phone booking: a free time chosen")

    # A time outside the hours (as if typed): the refusal and the nearest free times.
    page.get_by_label("First name").fill("Axe")
    page.get_by_label("Last name").fill("Checker")
    page.get_by_label("Email").fill("axe.checker@example.com")
    page.get_by_label("Phone").fill("555 0100")
    page.get_by_label("Date of birth").fill("1970-01-01")
    page.get_by_label("No to every question").check()
    page.locator("#id_time").evaluate("input => { input.value = '03:00' }")
    with page.expect_navigation():
        page.get_by_role("button", name="Book", exact=True).click()
    page.locator('button[name="pick"]').first.wait_for()
    staff_audit("phone booking: not free, the nearest free times")

    staff_audit.report("staff scheduling screens")
    assert staff_audit.violations() == {}


def test_the_owners_settings_lists_and_reports(staff_audit):
    """The pages issue 30 changed, as the practice owner sees them: the booking policy, a
    practitioner's page and week, the services and waiting lists in words, the health
    answers viewed report, and the question before a staff cancel."""
    load_sample_appointments(_Report())
    staff_member("owner-axe", password=PASSWORD, is_superuser=True)
    page = staff_audit.page
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("owner-axe")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    someone = Practitioner.objects.filter(is_active=True).first()
    visit = Appointment.objects.filter(status=AppointmentStatus.CONFIRMED).first()
    pages = {
        "booking policy": "/admin/settings/booking/bookingpolicy/",
        "practitioner": reverse("booking_practitioner:inspect", args=[someone.pk]),
        "practitioner's week": reverse("booking_staff:practitioner_week", args=[someone.pk]),
        "services": "/admin/snippets/booking/service/",
        "waiting list": reverse("booking_waitlist:index"),
        "health answers viewed": reverse("booking_staff:intake_views"),
        "cancel, asked first": reverse("booking_staff:cancel", args=[visit.pk]),
    }
    for name, url in pages.items():
        assert page.goto(url).status == 200, name
        staff_audit(name)

    staff_audit.report("the owner's pages")
    assert staff_audit.violations() == {}
