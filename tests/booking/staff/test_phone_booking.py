"""The phone booking screen: from the agenda's free time, through the free times shown as
links, to a booking; after a clash, the nearest free times as buttons that keep what was
typed."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import selectors
from booking.models import Appointment, Service
from practice.local_time import clock
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .shared import MONDAY, TUESDAY

URL = "/admin/bookings/book/"
CALLER = {
    "first_name": "Phone",
    "last_name": "Caller",
    "email": "caller@example.com",
    "phone": "555 0199",
    "date_of_birth": "1970-01-01",
    "red_flags": "none",
}


def follow_up() -> Service:
    return Service.objects.get(slug="follow-up-treatment")


def hidden(page, name: str) -> str:
    [field] = page.select(f'form[method="post"] input[type="hidden"][name="{name}"]')
    return field.get("value", "")


def time_links(page) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in page.select("ul.free-times a")}


@pytest.mark.django_db
def test_the_agenda_s_free_time_opens_the_screen_with_who_day_and_time_filled_in(
    front_desk_client, soup
):
    omar = practitioner("omar-haddad")
    agenda = soup(
        front_desk_client.get(
            reverse("booking_staff:agenda"), {"view": "day", "date": TUESDAY.isoformat()}
        )
    )
    link = next(
        a["href"]
        for a in agenda.select("a.agenda-free__link")
        if f"practitioner={omar.pk}&" in a["href"] and a["href"].endswith("time=11:00")
    )
    page = soup(front_desk_client.get(link))
    find = page.find("form", method="get")
    assert find.find("select", attrs={"name": "practitioner"}).find("option", selected=True)[
        "value"
    ] == str(omar.pk)
    assert find.find("input", attrs={"name": "date"})["value"] == TUESDAY.isoformat()
    assert find.find("input", attrs={"name": "time", "type": "hidden"})["value"] == "11:00"
    assert "Choose a service, a day and a free time above first." in page.get_text()

    # The service chosen (the GET form sent as it is), the time is already chosen.
    page = soup(
        front_desk_client.get(
            URL,
            {
                "service": follow_up().pk,
                "practitioner": omar.pk,
                "date": TUESDAY.isoformat(),
                "time": "11:00",
            },
        )
    )
    [current] = page.select('ul.free-times a[aria-current="true"]')
    assert current.get_text(strip=True) == "11:00 AM"
    assert (hidden(page, "service"), hidden(page, "practitioner")) == (
        str(follow_up().pk),
        str(omar.pk),
    )
    assert (hidden(page, "date"), hidden(page, "time")) == (TUESDAY.isoformat(), "11:00")
    choice = " ".join(page.select_one(".phone-booking__choice").get_text(" ").split())
    assert choice == f"Follow-up treatment , with Omar Haddad, {TUESDAY:%A} {TUESDAY.day} " + (
        f"{TUESDAY:%B} at 11:00 AM."
    )

    booked = front_desk_client.post(
        URL,
        {
            **CALLER,
            "service": follow_up().pk,
            "practitioner": omar.pk,
            "date": TUESDAY.isoformat(),
            "time": "11:00",
        },
    )
    assert booked.status_code == 302
    made = Appointment.objects.get(patient__email="caller@example.com")
    assert (made.practitioner, made.starts_at) == (omar, local(TUESDAY, 11))


@pytest.mark.django_db
def test_the_free_times_are_the_patients_slots_with_the_minimum_notice_waived(
    front_desk_client, soup
):
    rosa = practitioner("rosa-lind")
    book(start=local(MONDAY, 10), who=rosa)
    query = {"service": follow_up().pk, "practitioner": rosa.pk, "date": MONDAY.isoformat()}
    with time_machine.travel(local(MONDAY, 8)):
        page = soup(front_desk_client.get(URL, query))
        now = dt.datetime.now(dt.UTC)
        expected = selectors.slot_list_free(
            service=follow_up(),
            practitioner=rosa,
            first_day=MONDAY,
            days=1,
            now=now,
            ignore_notice=True,
        )
        online = selectors.slot_list_free(
            service=follow_up(), practitioner=rosa, first_day=MONDAY, days=1, now=now
        )
    links = time_links(page)
    shown = list(links)
    assert shown == [clock(s.start) for s in expected]
    assert shown[0] == "9:00 AM"  # within the twelve hours' notice patients get
    assert len(online) < len(expected)
    # Never over the booking at 10:00 and the buffer after it.
    assert "9:15 AM" not in shown and "10:30 AM" not in shown and "11:00 AM" in shown
    assert "time=09:00" in links["9:00 AM"] and f"practitioner={rosa.pk}" in links["9:00 AM"]


@pytest.mark.django_db
def test_first_available_offers_each_time_once_under_whoever_is_free(front_desk_client, soup):
    rosa, omar = practitioner("rosa-lind"), practitioner("omar-haddad")
    query = {"service": follow_up().pk, "practitioner": "", "date": TUESDAY.isoformat()}
    page = soup(front_desk_client.get(URL, query))
    links = time_links(page)
    assert "9:00 AM Rosa Lind" in links  # Omar starts at 10:00 on Tuesdays
    assert len({href.rsplit("time=", 1)[1] for href in links.values()}) == len(links)
    chosen = soup(front_desk_client.get(links["9:00 AM Rosa Lind"]))
    assert hidden(chosen, "practitioner") == str(rosa.pk)
    assert omar  # both offer the service; the one free first is named


@pytest.mark.django_db
def test_a_time_that_is_not_free_for_the_service_says_so_and_lists_the_free_ones(
    front_desk_client, soup
):
    omar = practitioner("omar-haddad")
    book(start=local(TUESDAY, 11), who=omar)
    query = {
        "service": follow_up().pk,
        "practitioner": omar.pk,
        "date": TUESDAY.isoformat(),
        "time": "11:30",
    }
    page = soup(front_desk_client.get(URL, query))
    assert "11:30 AM is not a free time for this service on this day" in page.get_text()
    assert not page.select('ul.free-times a[aria-current="true"]')
    assert "10:00 AM" in time_links(page)


@pytest.mark.django_db
def test_after_a_clash_the_nearest_free_times_are_buttons_that_keep_what_was_typed(
    front_desk_client, soup
):
    omar = practitioner("omar-haddad")
    book(start=local(TUESDAY, 11), who=omar, patient=details(first_name="Ada"))
    form = {
        **CALLER,
        "service": follow_up().pk,
        "practitioner": omar.pk,
        "date": TUESDAY.isoformat(),
        "time": "11:15",
    }
    refused = front_desk_client.post(URL, form)
    assert refused.status_code == 200
    page = soup(refused)
    assert "Choose one of the nearest free times below." in page.get_text()
    buttons = page.select('form[method="post"] button[name="pick"]')
    assert buttons and len(buttons) <= 6
    labels = [" ".join(b.get_text(" ").split()) for b in buttons]
    assert f"{TUESDAY:%a} {TUESDAY.day} {TUESDAY:%b}, 12:00 PM Omar Haddad" in labels
    # The booking button comes first: Enter in a field books, it never picks a time.
    submits = page.select('form[method="post"] button[type="submit"]')
    assert submits[0].get_text(strip=True) == "Book"
    assert Appointment.objects.count() == 1

    noon = next(b["value"] for b in buttons if "12:00 PM" in b.get_text())
    picked = soup(front_desk_client.post(URL, {**form, "pick": noon}))
    assert Appointment.objects.count() == 1  # choosing is not booking
    assert (hidden(picked, "date"), hidden(picked, "time")) == (TUESDAY.isoformat(), "12:00")
    assert picked.find("input", attrs={"name": "last_name"})["value"] == "Caller"
    assert picked.find("input", attrs={"name": "email"})["value"] == "caller@example.com"
    assert not picked.select(".help-critical")

    sent = {
        field["name"]: field.get("value", "")
        for field in picked.select('form[method="post"] input')
        if field.get("name") and (field.get("type") != "radio" or field.has_attr("checked"))
    }
    assert sent["red_flags"] == "none"  # the caller's answer to the script is kept too
    assert front_desk_client.post(URL, sent).status_code == 302
    assert Appointment.objects.get(patient__email="caller@example.com").starts_at == local(
        TUESDAY, 12
    )


@pytest.mark.django_db
def test_a_broken_choice_in_the_query_string_is_a_form_error_not_a_server_error(
    front_desk_client, soup
):
    page = front_desk_client.get(
        URL, {"service": "x", "practitioner": "999", "date": "tomorrow", "time": "25:99"}
    )
    assert page.status_code == 200
    errors = soup(page).find("form", method="get").get_text()
    assert "Select a valid choice" in errors and "Enter a valid date" in errors
    picked = front_desk_client.post(URL, {**CALLER, "pick": "not-a-slot"})
    assert picked.status_code == 200 and Appointment.objects.count() == 0


@pytest.mark.django_db
def test_the_screen_runs_the_same_queries_for_a_free_or_a_busy_day(front_desk_client):
    rosa = practitioner("rosa-lind")
    query = {"service": follow_up().pk, "practitioner": rosa.pk, "date": MONDAY.isoformat()}

    def count() -> int:
        cache.clear()  # the schedule read from the database, not the schedule cache
        with CaptureQueriesContext(connection) as context:
            assert front_desk_client.get(URL, query).status_code == 200
        return len(context.captured_queries)

    front_desk_client.get(URL, query)  # the first page also makes the booking policy

    empty = count()
    for hour in (9, 11, 14, 16):
        book(start=local(MONDAY, hour), who=rosa)
    assert count() == empty
    # The admin's own (session, user, permissions, site, menu: 14) and the screen's: the
    # service and practitioner chosen, the schedule (hours, appointments, time off, policy),
    # the practitioners' names and the two selects' options.
    assert empty <= 23  # with the busy times of the practitioners' own calendars
