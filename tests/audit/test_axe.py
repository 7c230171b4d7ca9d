"""axe finds nothing against WCAG 2.2 AA on any page, at a phone's size and a desktop's.

Chromium renders each page as a visitor sees it (the stylesheet decides colour
contrast and target sizes), and the booking is walked the way a patient clicks
through it, with each form also sent empty or wrong so that the error summaries and
messages are audited too.
"""

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from tests.booking.walk import details_data, emailed_code, intake_data, later_week
from tests.factories.bookings import seen_before

from .pages import INVALID_DETAILS, PUBLIC_PAGES, shown_path

AXE_VERSION = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200]).group(1)
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ERROR_STATE = re.compile(r"empty|invalid|nothing chosen")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Auditor:
    """Runs axe on each page it is shown and keeps what it found, page by page."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.found: dict[str, list[str]] = {}

    def __call__(self, name: str) -> None:
        if ERROR_STATE.search(name):  # the walk really is where it says it is
            assert self.page.locator(".error-summary").is_visible(), f"{name}: no error summary"
        results = self.axe.run(
            self.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
        )
        self.found[f"{name} ({shown_path(self.page.url)})"] = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in results.response["violations"]
        ]

    def violations(self) -> dict[str, list[str]]:
        return {name: found for name, found in self.found.items() if found}

    def report(self, what: str) -> None:
        size = self.page.viewport_size
        print(
            f"\naxe {AXE_VERSION} (WCAG 2.2 AA), {what} at {size['width']}x{size['height']}: "
            f"{len(self.found)} pages, {sum(map(len, self.found.values()))} violations"
        )
        for name, found in self.violations().items():
            print(f"  {name}")
            for line in found:
                print(f"      {line}")


@pytest.fixture(params=VIEWPORTS)
def audit(request, browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Auditor(page)
    context.close()


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def fill(page, data: dict) -> None:
    """Types or ticks each answer in ``data`` into the form, whatever the control (the
    optional questions folded under <details> opened first, as a person would)."""
    closed = page.locator("details.optional-questions:not([open]) > summary")
    while closed.count():
        closed.first.click()
    for name, value in data.items():
        controls = page.locator(f'[name="{name}"]')
        if controls.count() == 0:
            continue
        kind = controls.first.get_attribute("type") or controls.first.evaluate("e => e.tagName")
        if kind == "hidden":
            continue
        if kind in {"radio", "checkbox"}:
            for one in value if isinstance(value, list) else [value]:
                target = (
                    controls if value == "on" else page.locator(f'[name="{name}"][value="{one}"]')
                )
                target.check()
        elif kind == "SELECT":
            controls.select_option(value)
        else:
            controls.fill(value)


def choose_first_time(page) -> None:
    page.locator(".slot-list label").first.click()


def start_booking(page, audit=None, *, service: str = "New patient visit") -> None:
    page.goto("/book/")
    if audit:
        audit("book: service")
        submit(page, "Choose a time")
        audit("book: service, nothing chosen")
    page.get_by_label(re.compile(r"^\s*" + re.escape(service) + " —")).check()
    submit(page, "Choose a time")
    if audit:
        audit("book: time")
    page.goto(later_week())  # a time that can still be moved online, on any day
    page.locator("button[name=slot]").first.click()  # one tap on a time goes on


@live
def test_public_pages(audit):
    for name, path in PUBLIC_PAGES.items():
        audit.page.goto(path)
        audit(name)
    audit.report("public pages")
    assert audit.violations() == {}


@live
def test_booking_and_the_manage_link(audit):
    page = audit.page
    start_booking(page, audit)

    audit("book: details")
    submit(page, "Continue")
    audit("book: details, empty")
    fill(page, details_data(**INVALID_DETAILS))
    submit(page, "Continue")
    audit("book: details, invalid")
    fill(page, details_data())
    submit(page, "Continue")

    audit("book: health questions")
    submit(page, "Continue to the summary")
    audit("book: health questions, empty")
    fill(page, intake_data())
    submit(page, "Continue to the summary")

    audit("book: review")
    submit(page, "Confirm the booking")
    audit("book: review, no consent")
    fill(page, {"consent_treatment": "on", "policies_ack": "on"})
    submit(page, "Confirm the booking")
    audit("book: confirmation")
    manage = page.url

    page.get_by_role("link", name="Move to another time").click()
    page.wait_for_url(re.compile("/change/$"))
    audit("manage: move")
    page.goto(later_week(manage + "change/"))
    choose_first_time(page)
    submit(page, "Move to this time")
    audit("manage: moved")
    page.goto(manage)
    audit("manage")
    page.get_by_role("link", name="Cancel this appointment").click()
    page.wait_for_url(re.compile("/cancel/$"))
    audit("manage: cancel?")
    submit(page, "Yes, cancel it")
    audit("manage: cancelled")

    # Booking again as the patient just booked, with a visit kept some weeks ago: the short
    # questions for returning patients.
    seen_before(email=details_data()["email"])
    start_booking(page, service="Follow-up treatment")
    mail.outbox.clear()
    fill(page, details_data())
    page.get_by_label("I have been here before").check()
    submit(page, "Continue")
    audit("book: the code from your email")
    page.get_by_label("The code from the email").fill(emailed_code())
    submit(page, "Continue")
    audit("book: health questions, returning")
    submit(page, "Continue to the summary")
    audit("book: health questions, returning, empty")
    fever = intake_data(returning=True, red_fever="yes")
    fill(page, fever)  # the group answered "Yes"
    submit(page, "Continue to the summary")
    audit("book: health questions, tell us which")
    fill(page, fever)  # the sign itself, on the second page
    submit(page, "Continue to the summary")
    audit("book: stop page, see a doctor within 24 hours")
    page.get_by_role("button", name="Go back to my answers").click()
    audit("book: health questions, back from the stop page")

    page.goto("/book/see-a-doctor-first/")
    audit("book: see a doctor first")

    audit.report("booking and the manage link")
    assert audit.violations() == {}


def test_the_audit_finds_what_it_is_for(browser):
    """Faint text, a field without a label and tiny buttons: axe names all three.

    (A field with only a placeholder would pass axe: test_labels.py checks for that.)
    """
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><title>Broken</title><body><main><h1>Broken</h1>'
        '<p style="color: #bbb; background: #fff">Faint</p>'
        '<input name="email">'
        '<button style="width: 10px; height: 10px; padding: 0; border: 0">x</button> '
        '<button style="width: 10px; height: 10px; padding: 0; border: 0">y</button>'
        "</main></body></html>"
    )
    audit = Auditor(page)
    audit("broken")
    found = " ".join(audit.violations()["broken (about:blank)"])
    context.close()
    for rule in ["color-contrast", "label", "target-size"]:
        assert rule + " (" in found, found
