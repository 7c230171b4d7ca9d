"""Booking is one tap away on a phone wherever the reader is: the header with its "Book"
stays at the top of the screen as a page scrolls (CSS only, no JavaScript), covers none of
the page, and every article offers booking right after its summary and again at its end."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}

IN_VIEW = """element => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0
        && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
            .closest('a') === element;
}"""


def phone_page(new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    return context.new_page()


def scroll_to_the_end(page) -> None:
    page.evaluate("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    at_end = "window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"
    assert page.evaluate(at_end)


def test_book_is_in_view_at_the_bottom_of_a_long_article(new_context, site):
    page = phone_page(new_context)
    page.goto(site.article.url)
    assert page.evaluate("document.body.scrollHeight") > 4 * PHONE["height"]  # a long read
    scroll_to_the_end(page)
    book = page.locator(".site-header__book")
    assert book.evaluate(IN_VIEW), "the header's Book is not on screen, or something covers it"
    book.tap()
    expect(page).to_have_url(f"{page.url.split('/articles/')[0]}/book/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_header_stays_on_every_public_page_and_covers_nothing(new_context, site):
    page = phone_page(new_context)
    paths = ["/", "/articles/", site.article.url, site.pages["about"].url, "/no-such-page/"]
    for path in paths:
        page.goto(path)
        scroll_to_the_end(page)
        assert page.locator(".site-header__book").evaluate(IN_VIEW), path
        # The header takes its own room: the footer's last line is not under it.
        last = page.locator(".site-footer__note p").last
        assert last.evaluate(IN_VIEW.replace(".closest('a') === element", " === element")), path


def test_an_article_offers_booking_after_its_summary_and_at_its_end(new_context, site):
    page = phone_page(new_context)
    page.goto(site.article.url)
    article = page.locator("article")
    links = article.get_by_role("link", name="Book a session")
    first_offer = links.first
    summary = page.locator(".article__header .lead")
    # Right after the summary, on the first screen.
    assert first_offer.bounding_box()["y"] > summary.bounding_box()["y"]
    assert first_offer.bounding_box()["y"] < PHONE["height"]
    # And at the end: after the last section of the text, before the references.
    last_offer = article.locator(".booking-cta").last
    last_section = article.locator(".article__body > h2").last
    assert last_offer.bounding_box()["y"] > last_section.bounding_box()["y"]
    references = article.locator(".references")
    if references.count():
        assert last_offer.bounding_box()["y"] < references.first.bounding_box()["y"]
    expect(last_offer.get_by_role("link").first).to_have_attribute("href", re.compile(r"^/book/"))
