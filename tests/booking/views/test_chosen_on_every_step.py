"""After the time step, every step says what is being booked: the session, with whom and
when, by the practice's clock, with a way back to change the time."""

import datetime as dt

import pytest

from booking.models import Practitioner, Service
from practice.local_time import local, zone_label
from tests.booking.walk import details_data, first_slot, intake_data, later_week

pytestmark = pytest.mark.django_db


def chosen_text(soup, response) -> str:
    box = soup(response).select_one(".chosen")
    assert box is not None, "no summary of what is being booked"
    return " ".join(box.get_text(" ").split())


def test_the_details_questions_and_review_say_which_time_was_chosen(client, soup):
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk})
    slot = first_slot(client.get(later_week()))
    assert client.post("/book/time/", {"slot": slot}).status_code == 302
    draft_start = client.session["booking"]["start"]
    who = client.session["booking"]["slot_practitioner_id"]
    # What the page must say: the slot's own time on the practice's clock, and its practitioner.
    start = local(dt.datetime.fromisoformat(draft_start))
    name = Practitioner.objects.get(pk=who).name
    when = f"{start:%A}, {start:%B} {start.day}, {start.year}"

    details = client.get("/book/details/")
    text = chosen_text(soup, details)
    assert service.name in text and name in text and when in text, text
    assert soup(details).select_one(".chosen a")["href"] == "/book/time/"

    assert client.post("/book/details/", details_data()).status_code == 302
    text = chosen_text(soup, client.get("/book/health-questions/"))
    assert service.name in text and name in text and when in text, text

    # A form sent back with a mistake still says it.
    text = chosen_text(soup, client.post("/book/health-questions/", {"pain_score": ""}))
    assert when in text, text

    assert client.post("/book/health-questions/", intake_data()).status_code == 302
    review = " ".join(soup(client.get("/book/review/")).select_one(".summary").get_text().split())
    assert service.name in review and name in review and when in review, review


def test_the_time_is_named_with_the_practices_zone(client, soup):
    """The time shown is the practice's wall clock, named with its zone."""
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    text = chosen_text(soup, client.get("/book/details/"))
    assert f"({zone_label()})" in text
