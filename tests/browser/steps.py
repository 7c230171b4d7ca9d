"""The booking steps as a patient takes them in the browser, shared by the journeys.

Each step uses what a person sees: labels, headings, button names. Fields are found by
their visible label or their question, never by ids that a template change would move.
"""

import dataclasses
import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from booking import questions

PATIENT = {
    "First name": "Ada",
    "Last name": "Lovelace",
    "Email": "ada@example.com",
    "Phone": "(555) 010-0101",
}
DATE_OF_BIRTH = "1980-05-01"
WORSE = "Sitting for long"


@dataclasses.dataclass
class ChosenSlot:
    """A time picked on the time page: its button's value and what the page showed."""

    value: str  # "<UTC iso>|<practitioner id>", as the form sends it
    shown: str  # the <time datetime> of its label, in the practice's zone

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.value.split("|")[0])

    @property
    def practitioner_id(self) -> int:
        return int(self.value.split("|")[1])


def press(locator: Locator, *, touch: bool = False) -> None:
    """A tap on a phone, a click elsewhere."""
    if touch:
        locator.tap()
    else:
        locator.click()


def choose_service(page: Page, *, service: str | None = None, who: str | None = None, touch=False):
    """Step 1. ``service`` is the start of its label; None keeps what is already chosen."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session")
    if service:
        page.get_by_role("group", name="Which session").get_by_label(service).check()
    if who:
        page.get_by_role("group", name="With whom?").get_by_label(who).check()
    press(page.get_by_role("button", name="Choose a time"), touch=touch)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")


def slot_buttons(page: Page) -> Locator:
    return page.locator("button[name=slot]")


def choose_first_time(page: Page, *, touch: bool = False) -> ChosenSlot:
    """Step 2: the earliest time offered on the day shown; one tap on it goes on."""
    button = slot_buttons(page).first
    slot = ChosenSlot(
        value=button.get_attribute("value"),
        shown=button.locator("time").get_attribute("datetime"),
    )
    press(button, touch=touch)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    return slot


def fill_details(page: Page, *, touch: bool = False, **overrides) -> None:
    """Step 3, for a first visit."""
    for label, value in {**PATIENT, **overrides}.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Date of birth").fill(DATE_OF_BIRTH)
    press(page.get_by_role("button", name="Continue"), touch=touch)
    expect(page.get_by_role("heading", level=1)).to_have_text("Health questions")


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


CHECKLISTS = {
    "Do you have any of these now?": questions.EMERGENCY_SIGNS,
    "Do any of these apply to you?": questions.DOCTOR_SIGNS_ASKED,
    "Are any of these true for you?": questions.PRECAUTIONS,
}
DETAILED = {
    "Do you have any of these now?": "Which of these do you have now?",
    "Do any of these apply to you?": "Which of these apply to you?",
    "Are any of these true for you?": "Which of these are true for you?",
}


def tick_checklists(page: Page, *, sign: str | None = None) -> None:
    """Each group's "None of these", or "Yes" for the group that lists the sign ``sign``
    (a question's key): then the sign itself is ticked on the second page, by its words as
    a patient reads them, once the first page is sent (see ``send_health_questions``)."""
    for question, items in CHECKLISTS.items():
        group = page.get_by_role("group", name=question)
        listed = sign in {q.key for q in items}
        label = "Yes, one or more of these" if listed else "None of these"
        group.get_by_label(label, exact=True).check()


def tick_the_sign(page: Page, sign: str) -> None:
    """The second page: the sign ticked in its group's detailed list."""
    for question, items in CHECKLISTS.items():
        listed = {q.key: q.text for q in items}
        if sign in listed:
            group = page.get_by_role("group", name=DETAILED[question])
            group.get_by_label(listed[sign], exact=True).check()


def answer_health_questions(page: Page, *, red_flag: str | None = None, touch=False) -> None:
    """Step 4, a new patient's full questions: low back pain for over three months,
    no screening concerns, and no warning sign unless ``red_flag`` names one (a question's
    key, such as ``red_weakness``)."""
    page.get_by_role("group", name="Where does it hurt?").get_by_label("Lower back").check()
    answer(page, "How strong is the pain right now", "6")
    answer(page, "How long have you had this pain?", "More than 3 months")
    answer(page, "How did it start?", "Posture or work (desk, driving, lifting)")
    press(page.get_by_text("More about your pain", exact=False), touch=touch)  # folded
    page.get_by_label("What makes it worse?").fill(WORSE)
    tick_checklists(page, sign=red_flag)
    press(page.get_by_role("button", name="Continue to the summary"), touch=touch)
    if red_flag:
        expect(page.get_by_role("heading", level=1)).to_have_text("Health questions: tell us which")
        tick_the_sign(page, red_flag)
        press(page.get_by_role("button", name="Continue to the summary"), touch=touch)


def review_time(page: Page) -> str:
    """The start shown on the review page, as its <time datetime>."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    return page.locator(".summary time").get_attribute("datetime")


def consent(page: Page, *, returning: bool = False) -> None:
    """The consent on the summary, above "Confirm the booking"."""
    if returning:
        page.get_by_label("I consent to treatment as before").check()
        return
    page.get_by_label("I understand what acupuncture treatment involves").check()
    page.get_by_label("I have read the privacy notice and the cancellation policy.").check()


def confirm(page: Page, *, touch: bool = False) -> None:
    """Step 5: the consent given, then "Confirm the booking"."""
    consent(page)
    press(page.get_by_role("button", name="Confirm the booking"), touch=touch)


def expect_booked(page: Page) -> None:
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/book/appointment/[^/]+/$"))


def same_moment(first: str, second: str) -> bool:
    return dt.datetime.fromisoformat(first) == dt.datetime.fromisoformat(second)
