"""How the public site sits on a screen, measured in Chromium: a header of one row on every
phone, a menu that opens without JavaScript, opening hours in aligned columns, and wide
screens used across their width."""

import itertools

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.demo]

PAGES = [
    "/",
    "/about/",
    "/articles/",
    "/articles/your-first-visit/",
    "/practitioners/daniel-okafor/",
    "/book/",
    "/no-such-page/",
]
PHONES = [320, 360, 390]
ONE_ROW = 72  # px: a 44 px button and the header's padding; a second row would add 40 or more

HEADER = """() => {
    const box = selector => {
        const found = document.querySelector(selector);
        const rect = found.getBoundingClientRect();
        return {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right,
                height: rect.height, shown: rect.width > 0 && rect.height > 0};
    };
    const brand = document.querySelector('.site-header__brand');
    const toggle = box('.site-menu__toggle');
    return {
        header: box('.site-header'),
        items: [box('.site-header__brand'), toggle.shown ? toggle : box('.site-menu__list'),
                box('.site-header__book')],
        brandFits: brand.scrollWidth <= brand.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
    };
}"""


def header_layout(page, path: str) -> dict:
    page.goto(path)
    return page.evaluate(HEADER)


def assert_one_row(layout: dict, width: int, where: str) -> None:
    items = layout["items"]
    assert layout["header"]["height"] <= ONE_ROW, (where, layout["header"])
    # On one row: every item's box overlaps every other's vertically...
    assert max(i["top"] for i in items) < min(i["bottom"] for i in items), (where, items)
    # ...and they stand side by side, in order, without overlapping or leaving the screen.
    for before, after in itertools.pairwise(items):
        assert before["right"] <= after["left"] + 0.5, (where, items)
    assert items[0]["left"] >= 0 and items[-1]["right"] <= width, (where, items)
    assert layout["brandFits"], where
    assert layout["pageWidth"] <= width, where


@pytest.mark.parametrize("width", PHONES)
def test_the_header_is_one_row_on_a_phone(new_context, width):
    page = new_context(viewport={"width": width, "height": 740}, is_mobile=True).new_page()
    for path in PAGES:
        assert_one_row(header_layout(page, path), width, f"{path} at {width}px")
    expect(page.locator(".site-menu__list a").first).to_be_hidden()


@pytest.mark.parametrize("width", [768, 1024, 1280, 1440])
def test_the_header_is_one_row_on_wider_screens(new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    for path in ("/", "/about/", "/articles/your-first-visit/"):
        assert_one_row(header_layout(page, path), width, f"{path} at {width}px")
    links = page.locator(".site-menu__list a")
    if width >= 1152:  # 72rem: the links stand in the row
        expect(page.locator(".site-menu__toggle")).to_be_hidden()
        expect(links.first).to_be_visible()
    else:
        expect(links.first).to_be_hidden()


def test_the_phone_menu_opens_without_javascript(new_context):
    context = new_context(
        viewport={"width": 320, "height": 640}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/articles/")
    menu = page.get_by_role("navigation", name="Main")
    about = menu.get_by_role("link", name="About the practice")
    expect(about).to_be_hidden()
    toggle = menu.locator("summary")
    expect(toggle).to_have_accessible_name("Menu")  # an icon on the narrowest phones
    toggle.click()
    expect(about).to_be_visible()
    # The menu opens over the page: the header keeps its height.
    assert page.evaluate(HEADER)["header"]["height"] <= ONE_ROW
    about.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About the practice")
    expect(page.get_by_role("link", name="Book a session").first).to_be_visible()


@pytest.mark.parametrize("width", [320, 390, 1440])
def test_opening_hours_line_up(new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    for path in ("/", "/about/"):
        page.goto(path)
        for hours in page.locator(".opening-hours").all():
            rows = hours.evaluate(
                """list => [...list.querySelectorAll('dt')].map(dt => {
                    const day = dt.getBoundingClientRect();
                    const time = dt.nextElementSibling.getBoundingClientRect();
                    return [day.left, day.top, time.left, time.top];
                })"""
            )
            assert len(rows) == 3, path
            assert len({round(r[0]) for r in rows}) == 1, (path, width, rows)  # days
            assert len({round(r[2]) for r in rows}) == 1, (path, width, rows)  # hours
            assert all(abs(r[1] - r[3]) < 1 for r in rows), (path, width, rows)  # same line
        assert page.evaluate("document.documentElement.scrollWidth") <= width


USED_WIDTH = """() => [...document.querySelectorAll('main .container')].map(container => {
    const outer = container.getBoundingClientRect();
    const right = Math.max(...[...container.querySelectorAll('*')]
        .map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0)
        .map(r => r.right));
    return (right - outer.left) / outer.width;
})"""


@pytest.mark.parametrize(
    "path", ["/", "/about/", "/faq/", "/practitioners/mei-lin-harper/", "/articles/"]
)
def test_a_wide_screen_is_used_across_its_width(new_context, path):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(path)
    used = page.evaluate(USED_WIDTH)
    assert used and min(used) >= 0.85, used


@pytest.mark.parametrize("size", [(1440, 900), (1366, 768)])
def test_an_article_uses_most_of_a_wide_screen(new_context, size):
    """The picture stands beside the title, together as wide as the text and its contents,
    and the text itself starts on the first screen of a laptop."""
    width, height = size
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto("/articles/your-first-visit/")
    used = page.evaluate(USED_WIDTH)
    assert max(used) >= 0.85, used
    hero = page.locator(".article__hero img").bounding_box()
    title = page.locator(".article__header h1").bounding_box()
    layout = page.locator(".article__layout").bounding_box()
    assert hero["x"] > title["x"] and hero["y"] < title["y"] + height / 2, (hero, title)
    span = hero["x"] + hero["width"] - title["x"]
    assert span >= 0.85 * layout["width"], (hero, title, layout)
    first_text = page.locator(".article__body > p").first.bounding_box()
    assert first_text["y"] < height, first_text
