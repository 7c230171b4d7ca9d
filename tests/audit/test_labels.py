"""Every form control a patient meets has a real label, and every set of choices a legend.

axe accepts a placeholder or an aria-label as a name; people need words on the page,
tied to the control, so this is checked here on the HTML of every page and error state.
"""

import pytest
from bs4 import BeautifulSoup

from .pages import unlabelled_controls, untied_errors, walk_to_details

pytestmark = pytest.mark.django_db


def test_every_control_on_every_page_has_a_label(walked_pages):
    problems = {name: unlabelled_controls(page.html) for name, page in walked_pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    # The walk reached the forms it is meant to check.
    assert {"book: details, empty", "book: health questions, returning, empty"} <= problems.keys()


def test_every_error_is_tied_to_its_field(walked_pages):
    problems = {name: untied_errors(page.html) for name, page in walked_pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    invalid = [page for page in walked_pages.values() if 'aria-invalid="true"' in page.html]
    assert len(invalid) >= 4  # details (empty, invalid), intake (new, returning)


def test_a_time_not_chosen_is_told_where_the_times_are(walked_pages):
    """The times are one set of choices with one message: the set is described by it."""
    for name in ["book: time, none chosen", "manage: move, none chosen"]:
        soup = BeautifulSoup(walked_pages[name].html, "html.parser")
        times = soup.select_one("fieldset.slot-picker, .slot-buttons")
        described = times.get("aria-describedby", "")
        message = soup.find(id=described) if described else None
        assert message and "Choose one of the times" in message.get_text(), name


def test_the_error_check_finds_what_it_is_for():
    html = (
        '<div class="error-summary"><a href="#id_gone">Gone</a></div>'
        '<input id="a" name="a" aria-invalid="true">'
        '<input id="b" name="b" aria-invalid="true" aria-describedby="id_b_error">'
    )
    assert untied_errors(html) == [
        "the error summary links to #id_gone, which is not there",
        "aria-describedby='id_b_error' names nothing on the page",
        "<input name='a'> is invalid, no message",
        "<input name='b'> is invalid, no message",
    ]


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<input name="q" placeholder="Search">', "has no <label for=...>"),
        ('<label for="q"> </label><input id="q" name="q">', "has an empty label"),
        ('<label for="a">A</label><textarea id="b" name="b"></textarea>', "has no <label"),
        (
            '<input type="radio" name="r" id="r1"><label for="r1">Yes</label>'
            '<input type="radio" name="r" id="r2"><label for="r2">No</label>',
            "not in a fieldset with a legend",
        ),
    ],
)
def test_the_label_check_finds_what_it_is_for(html, expected):
    problems = unlabelled_controls(html)
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_label_check_accepts_labels_and_legends():
    html = (
        '<label>Name <input name="n"></label><label for="s">Topic</label><select id="s"></select>'
        "<fieldset><legend>Pain?</legend>"
        '<input type="radio" name="r" id="r1"><label for="r1">Yes</label>'
        '<input type="radio" name="r" id="r2"><label for="r2">No</label></fieldset>'
        '<input type="hidden" name="csrf"><button type="submit">Go</button>'
    )
    assert unlabelled_controls(html) == []


def test_the_details_form_names_the_purpose_of_each_field(client):
    """WCAG 1.3.5: the patient's own details carry autocomplete purposes, so browsers and
    assistive tools can fill them in. axe only checks the values that are there."""
    walk_to_details(client)
    soup = BeautifulSoup(client.get("/book/details/").content, "html.parser")
    purposes = {name: soup.find(attrs={"name": name}).get("autocomplete") for name in PURPOSES}
    assert purposes == PURPOSES
    assert soup.find(attrs={"name": "phone"})["type"] == "tel"


PURPOSES = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "date_of_birth": "bday",
}
