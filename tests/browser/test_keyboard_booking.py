"""The whole booking with the keyboard alone: Tab, Space, Enter, arrow keys and typing.

No click, no tap, no ``fill``: the browser only gets key presses. Wherever the patient has
to see where they are, the focused element must show a focus ring.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from booking import questions
from booking.forms import CHECKLISTS
from booking.models import Appointment

from . import steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MOST_TABS = 40  # between two fields; more means the field is out of reach or out of order


def focused(page: Page, selector: str) -> bool:
    return page.evaluate("sel => document.activeElement.matches(sel)", selector)


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the element matching ``selector`` has the focus, as a person
    tabs through a form. Fails if it is not reached going forwards."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    where = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"Tab never reached {selector}; the focus is on {where}")


def expect_focus_ring(page: Page, *, on_label: bool = False) -> None:
    """The focused element (or, for the visually hidden slot radios, its label) draws a
    visible outline or shadow."""
    ring = page.evaluate(
        """onLabel => {
            const element = onLabel ? document.activeElement.labels[0] : document.activeElement;
            const style = getComputedStyle(element);
            return {
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none' && style.boxShadow !== '',
            };
        }""",
        on_label,
    )
    assert ring["outline"] or ring["shadow"], page.evaluate("document.activeElement.outerHTML")


def skip_to_content(page: Page) -> None:
    """The first Tab on every page reaches the skip link; Enter moves past the header."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect_focus_ring(page)
    page.keyboard.press("Enter")


def space_on(page: Page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")


def test_a_whole_booking_with_the_keyboard_alone(new_context):
    page = new_context(locale="en-US").new_page()
    page.goto("/book/")

    skip_to_content(page)
    space_on(page, "input[name=service]")
    expect(page.get_by_label("New patient visit")).to_be_checked()
    expect_focus_ring(page)
    tab_to(page, "input[name=practitioner]:checked")  # "First available" is already chosen
    tab_to(page, "button[type=submit]")
    expect_focus_ring(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    skip_to_content(page)
    tab_to(page, "button[name=slot]")
    expect_focus_ring(page)
    page.keyboard.press("Tab")  # the second time offered
    chosen = page.locator("button[name=slot]:focus")
    slot = steps.ChosenSlot(
        value=chosen.get_attribute("value"),
        shown=chosen.locator("time").get_attribute("datetime"),
    )
    expect_focus_ring(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    skip_to_content(page)
    for name, value in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", "(555) 010-0101"),
    ]:
        tab_to(page, f"input[name={name}]")
        expect_focus_ring(page)
        page.keyboard.type(value)
    tab_to(page, "input[name=date_of_birth]")
    page.keyboard.type("05011980")  # month, day, year, as the date field asks in English
    expect(page.get_by_label("Date of birth")).to_have_value("1980-05-01")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Health questions")
    skip_to_content(page)
    space_on(page, "input[name=pain_areas][value=lower_back]")
    tab_to(page, "input[name=pain_score]")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(page.locator("input[name=pain_score]:checked")).to_have_value("6")
    expect_focus_ring(page)
    tab_to(page, "input[name=pain_duration]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=pain_onset]")
    page.keyboard.press("ArrowDown")
    tab_to(page, ".optional-questions > summary")  # folded: Enter opens it
    expect_focus_ring(page)
    page.keyboard.press("Enter")
    tab_to(page, "textarea[name=worse]")
    page.keyboard.type(steps.WORSE)
    for name in CHECKLISTS:
        none_of_these = f"input[name={name}][value={questions.NONE_OF_THESE}]"
        space_on(page, none_of_these)
        expect(page.locator(none_of_these)).to_be_checked()
    tab_to(page, "button[type=submit]")
    expect_focus_ring(page)
    page.keyboard.press("Enter")

    assert steps.same_moment(steps.review_time(page), slot.shown)
    skip_to_content(page)
    for name in ("consent_treatment", "policies_ack"):  # given on the summary
        space_on(page, f"input[name={name}]")
        expect(page.locator(f"input[name={name}]")).to_be_checked()
    tab_to(page, "button[type=submit]")
    expect(page.get_by_role("button", name="Confirm the booking")).to_be_focused()
    expect_focus_ring(page)
    page.keyboard.press("Enter")

    steps.expect_booked(page)
    expect(page).to_have_url(re.compile(r"/book/appointment/"))
    appointment = Appointment.objects.select_related("intake").get()
    assert appointment.starts_at == slot.start
    assert appointment.intake.pain_score == 6
    assert appointment.intake.answers["pain_duration"] == "over_3_months"
    assert appointment.intake.answers["pain_onset"] == "accident"
