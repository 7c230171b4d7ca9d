"""The front desk's day in a real browser at 1366x900: the week with everyone fits and no
card's text is cut off; an empty time on the agenda books a caller in a few clicks, no time
typed."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking import selectors
from booking.groups import FRONT_DESK
from booking.models import Appointment, AppointmentStatus, Practitioner, Service
from demo.appointments import load_sample_appointments
from tests.factories.bookings import book, returning
from tests.factories.staff import staff_member

from .test_staff_journeys import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Every element of a card whose text is wider than its box: cut off, or spilling over.
CUT_OFF = """() => [...document.querySelectorAll(
    '.agenda-block, .agenda-block *, .agenda-free__link, .agenda-week th'
)].filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent.trim())"""


class _Report:
    def add(self, what: str) -> None:
        pass


@pytest.fixture
def laptop(new_context) -> Page:
    return new_context(viewport={"width": 1366, "height": 900}).new_page()


def _busy_week() -> dt.date:
    """The demo's sample appointments, and a long name and a long service on the first
    working day of next week; that day."""
    load_sample_appointments(_Report())
    service = Service.objects.get(slug="electroacupuncture")
    now = timezone.now()
    today = timezone.localtime(now)
    first = today.date() + dt.timedelta(days=7 - today.weekday())
    [slot, *_] = selectors.slot_list_free(
        service=service, practitioner=None, first_day=first, days=7, now=now
    )
    who = Practitioner.objects.get(pk=slot.practitioner_id)
    book(
        start=slot.start,
        service="electroacupuncture",
        who=who,
        patient=returning(
            who=who, first_name="Maximiliana", last_name="Featherstonehaugh-Worthington"
        ),
    )
    return slot.start.astimezone(today.tzinfo).date()


def _clock_to_iso(text: str) -> str:
    """The US practice's "2:30 PM" as "14:30"."""
    return dt.datetime.strptime(text, "%I:%M %p").strftime("%H:%M")


def _minutes_long(text: str) -> int:
    """How long a free stretch is, from its link's text: "Free 12:15-1:00 PM" (an en dash),
    where the start's AM or PM is left off when it is the end's."""
    start, end = re.search(
        r"(\d{1,2}:\d\d(?: [AP]M)?)\N{EN DASH}(\d{1,2}:\d\d [AP]M)", text
    ).groups()
    if not start.endswith("M"):
        start = f"{start} {end[-2:]}"
    first, last = (dt.datetime.strptime(t, "%I:%M %p") for t in (start, end))
    # A stretch that ends at midnight ("12:00 AM") ends at the end of the day.
    return int((last - first).total_seconds() // 60) % (24 * 60) or 24 * 60


def test_the_week_with_everyone_fits_a_laptop_and_no_card_is_cut_off(laptop):
    day = _busy_week()
    staff_member("desk-agenda", FRONT_DESK, password=PASSWORD)
    page = laptop
    log_in(page, "desk-agenda")
    for query in (f"date={day.isoformat()}", f"view=day&date={day.isoformat()}"):
        page.goto(f"/admin/bookings/agenda/?practitioner=all&{query}")
        expect(page.get_by_text("Featherstonehaugh-Worthington")).to_be_visible()
        assert page.evaluate(CUT_OFF) == [], query
        scroll = page.locator(".agenda-scroll")
        # The whole week is on the screen: nothing to scroll sideways.
        assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth"), query
    page.goto(f"/admin/bookings/agenda/?practitioner=all&date={day.isoformat()}")
    names = page.locator("th.agenda-week__person").all_inner_texts()
    assert len(names) == Practitioner.objects.filter(is_active=True).count() >= 2
    # The week's seven days across, every one of them inside the viewport.
    for box in [h.bounding_box() for h in page.locator("th.agenda-week__day").all()]:
        assert box["x"] + box["width"] <= 1366


def test_the_front_desk_books_a_caller_from_an_empty_time_without_typing_one(laptop):
    day = _busy_week()
    # A patient seen before calls for a follow-up (the demo's follow-ups are theirs only).
    returning(
        who=Practitioner.objects.first(),
        first_name="Phone",
        last_name="Caller",
        email="phone.caller@example.com",
        date_of_birth=dt.date(1970, 1, 1),
    )
    staff_member("desk-phone", FRONT_DESK, password=PASSWORD)
    page = laptop
    log_in(page, "desk-phone")
    page.goto(f"/admin/bookings/agenda/?practitioner=all&date={day.isoformat()}")
    # The longest free stretch of the week, so that a follow-up fits at its start.
    links = page.locator("a.agenda-free__link")
    lengths = [_minutes_long(text) for text in links.all_inner_texts()]
    free = links.nth(lengths.index(max(lengths)))
    href = free.get_attribute("href")
    wanted = re.search(r"time=(\d\d:\d\d)", href).group(1)
    day = dt.date.fromisoformat(re.search(r"date=([\d-]+)", href).group(1))
    free.click()

    page.get_by_role("combobox", name="Service").select_option(label="Follow-up treatment")
    page.get_by_role("button", name="Show free times").click()
    chosen = page.locator('ul.free-times a[aria-current="true"]')
    # The start of a free stretch that long is a free time of the service too.
    expect(chosen).to_have_count(1)
    time = _clock_to_iso(" ".join(chosen.inner_text().split()[:2]))  # "11:00 AM Omar Haddad"
    assert time == wanted

    page.get_by_label("First name").fill("Phone")
    page.get_by_label("Last name").fill("Caller")
    page.get_by_label("Email").fill("phone.caller@example.com")
    page.get_by_label("Phone").fill("555 0142")
    page.get_by_label("Date of birth").fill("1970-01-01")
    page.get_by_label("No to every question").check()
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page).to_have_url(re.compile(r"/appointments/inspect/\d+/"))
    made = Appointment.objects.get(
        patient__email="phone.caller@example.com", status=AppointmentStatus.CONFIRMED
    )
    local = made.local_starts_at
    assert (local.date(), f"{local:%H:%M}") == (day, time)
