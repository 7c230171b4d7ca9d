"""Booking on a phone without JavaScript: taps and page loads counted from an article's call
to action to "You're booked", and no booking page wider than the screen."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from blog.models import ArticlePage
from booking import selectors
from booking.models import Appointment, Practitioner, Service
from tests.booking.walk import emailed_code
from tests.clock import next_weekday
from tests.factories.bookings import manage_token, returning

from . import steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PATIENT_TAPS, RETURNING_TAPS, PAGE_LOADS = 15, 10, 5
# Proving the email (issue 28): "I have been here before", the code, "Continue"; one page.
CODE_TAPS, CODE_LOADS = 3, 1
LONG_EMAIL = "margaret.hamilton-apollo11@example-mail.com"  # 43 characters


def phone(new_context, width: int = 390) -> Page:
    context = new_context(
        viewport={"width": width, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    return context.new_page()


class Counted:
    """A patient's taps and the documents their browser loaded, from the first tap on."""

    def __init__(self, page: Page):
        self.page, self.taps, self.loads = page, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def tap(self, locator) -> None:
        locator.tap()
        self.taps += 1


def _from_the_article(page: Page) -> Counted:
    article = ArticlePage.objects.live().get(slug="your-first-visit")
    page.goto(article.url)
    counted = Counted(page)
    counted.tap(page.get_by_role("link", name="Book this session"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    return counted


def _time_and_details(
    page: Page, counted: Counted, *, email: str = "ada@example.com", been_before: bool = False
) -> None:
    counted.tap(page.locator("button[name=slot]").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    fields = {**steps.PATIENT, "Email": email, "Date of birth": steps.DATE_OF_BIRTH}
    for label, value in fields.items():
        page.get_by_label(label).fill(value)  # typing aside
    if been_before:
        mail.outbox.clear()
        counted.tap(page.get_by_label("I have been here before"))
        counted.tap(page.get_by_role("button", name="Continue"))
        expect(page.get_by_role("heading", level=1)).to_have_text("The code from your email")
        page.get_by_label("The code from the email").fill(emailed_code(email))  # typing aside
    counted.tap(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Health questions")


def _nothing_to_report(page: Page, counted: Counted) -> None:
    for question in steps.CHECKLISTS:
        group = page.get_by_role("group", name=question)
        counted.tap(group.get_by_label("None of these", exact=True))


def _confirm(page: Page, counted: Counted, *, returning: bool = False) -> None:
    """The summary, the consent given on it (two boxes, one for a returning patient), and
    "Confirm the booking"."""
    counted.tap(page.get_by_role("button", name="Continue to the summary"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    if returning:
        counted.tap(page.get_by_label("I consent to treatment as before"))
    else:
        counted.tap(page.get_by_label("I understand what acupuncture treatment involves"))
        counted.tap(page.get_by_label("I have read the privacy notice and the cancellation"))
    counted.tap(page.get_by_role("button", name="Confirm the booking"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You're booked")


def test_a_new_patient_books_from_an_article_in_fifteen_taps_and_five_pages(new_context):
    page = phone(new_context)
    counted = _from_the_article(page)
    _time_and_details(page, counted)
    counted.tap(page.get_by_role("group", name="Where does it hurt?").get_by_label("Lower back"))
    for question, choice in [
        ("How strong is the pain right now", "6"),
        ("How long have you had this pain?", "More than 3 months"),
        ("How did it start?", "Posture or work (desk, driving, lifting)"),
    ]:
        counted.tap(page.get_by_role("group", name=question).get_by_label(choice, exact=True))
    _nothing_to_report(page, counted)
    _confirm(page, counted)

    assert Appointment.objects.filter(patient__email="ada@example.com").count() == 1
    print(f"\nnew patient: {counted.taps} taps, {counted.loads} page loads")
    assert counted.taps <= NEW_PATIENT_TAPS
    assert counted.loads <= PAGE_LOADS


SCREEN_HEIGHT = 844
# Four screens (issue 27): the page was twelve (10,212 px) when every sign was a line of its
# own, 6.8 (5,712 px) with each group one tap; then the consent moved to the summary, the
# optional free text folded under <details> and the booking steps got a compact footer.
HEALTH_QUESTIONS_SCREENS = 4


def test_the_health_questions_page_is_short_for_nothing_to_report(new_context):
    """The whole health-questions page, header to footer, at 390 x 844 without JavaScript:
    every sign is named on it (each group lists its signs), and a patient with nothing to
    report scrolls through at most ``HEALTH_QUESTIONS_SCREENS`` screens."""
    page = phone(new_context)
    counted = _from_the_article(page)
    _time_and_details(page, counted)
    height = page.evaluate("document.documentElement.scrollHeight")
    button = page.get_by_role("button", name="Continue to the summary").bounding_box()
    print(
        f"\nhealth questions: {height} px ({height / SCREEN_HEIGHT:.2f} screens), "
        f"its button ends at {button['y'] + button['height']:.0f} px"
    )
    assert height <= HEALTH_QUESTIONS_SCREENS * SCREEN_HEIGHT
    for summary in ("emergency_signs", "doctor_signs", "precautions"):
        expect(page.locator(f"#{summary}-summary li").first).to_be_visible()


def test_a_returning_patient_books_in_ten_taps_and_three_for_the_code(new_context):
    born = dt.date.fromisoformat(steps.DATE_OF_BIRTH)
    service = Service.objects.get(slug="follow-up-treatment")
    [free, *_] = selectors.slot_list_free(
        service=service,
        practitioner=None,
        first_day=next_weekday(0, weeks_ahead=4),
        days=7,
        now=timezone.now(),
    )
    # An earlier visit, kept, makes Ada a returning patient.
    returning(
        who=Practitioner.objects.get(pk=free.practitioner_id),
        email="ada@example.com",
        date_of_birth=born,
    )
    page = phone(new_context)
    counted = _from_the_article(page)
    _time_and_details(page, counted, been_before=True)
    expect(page.get_by_text("Welcome back")).to_be_visible()
    page.get_by_label("What has changed since your last visit?").fill("A little better.")
    counted.tap(
        page.get_by_role("group", name="How strong is the pain right now").get_by_label(
            "4", exact=True
        )
    )
    _nothing_to_report(page, counted)
    _confirm(page, counted, returning=True)

    print(f"\nreturning patient: {counted.taps} taps, {counted.loads} page loads")
    assert counted.taps <= RETURNING_TAPS + CODE_TAPS
    assert counted.loads <= PAGE_LOADS + CODE_LOADS


def _fits(page: Page, width: int, where: str, heading: str | None = None) -> None:
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{where} is {wide} px wide on a {width} px screen"


@pytest.mark.parametrize("width", [320, 360, 390])
def test_no_booking_page_is_wider_than_the_screen(new_context, width):
    page = phone(new_context, width)
    counted = _from_the_article(page)
    _fits(page, width, "the time step")
    counted.tap(page.locator("button[name=slot]").first)
    _fits(page, width, "the details step", "Your details")
    for label, value in {**steps.PATIENT, "Email": LONG_EMAIL}.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Date of birth").fill(steps.DATE_OF_BIRTH)
    page.get_by_role("button", name="Continue").tap()
    _fits(page, width, "the health questions", "Health questions")
    steps.answer_health_questions(page, touch=True)
    _fits(page, width, "the review", "Check and confirm")
    steps.confirm(page, touch=True)
    _fits(page, width, "the confirmation", "You're booked")
    appointment = Appointment.objects.get()
    token = manage_token(appointment)
    for where in ["change/", "cancel/", ""]:
        page.goto(f"/book/appointment/{token}/{where}")
        _fits(page, width, f"the manage link's {where or 'page'}")
    page.goto("/book/see-a-doctor-first/")
    _fits(page, width, "the stop page")
