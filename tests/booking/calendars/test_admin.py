"""The practitioner's own calendars in the admin, and staff booking over a busy time."""

import pytest
from django.urls import reverse

from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import Appointment, BusyTime, CalendarSource
from tests.clock import local, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member

from .people import ics_source, offered, rosa_login

pytestmark = pytest.mark.django_db

MONDAY = next_weekday(0)
SECRET = "https://calendar.google.example/calendar/ical/rosa/private-0ddba11s3cr3t/basic.ics"


def busy(start, end):
    source = ics_source("https://calendar.google.example/x.ics")
    return BusyTime.objects.create(
        source=source, practitioner=source.practitioner, starts_at=start, ends_at=end
    )


def add_url():
    return reverse("booking_staff:calendar_add", args=[practitioner().pk])


def page_url():
    return reverse("booking_practitioner:inspect", args=[practitioner().pk])


def test_a_practitioner_adds_her_calendar_and_its_address_is_never_shown_again(
    client, ics_server, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    ics_server.files["/private-0ddba11s3cr3t/basic.ics"] = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n"
    )
    client.force_login(rosa_login())
    assert client.get(add_url()).status_code == 200
    address = ics_server.url + "/private-0ddba11s3cr3t/basic.ics"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(), {"kind": "ics", "label": "Personal", "address": address}, follow=True
        )
    text = response.content.decode()
    assert "Calendar added" in text and "Personal" in text
    assert "0ddba11s3cr3t" not in text and f"{ics_server.url}/…" in text
    source = CalendarSource.objects.get()
    assert source.address == address and source.last_synced_at  # read once, on commit
    with django_assert_max_num_queries(21):  # the menu asks whether she may book by phone
        assert client.get(page_url()).status_code == 200


def test_bad_input_is_refused_with_a_message_and_nothing_typed_is_lost(client, settings, soup):
    settings.SITE_URL = "https://practice.example"
    client.force_login(rosa_login())
    own_feed = f"https://practice.example/calendar/{practitioner().calendar_token}.ics"
    page = soup(client.post(add_url(), {"kind": "ics", "address": own_feed, "label": "Mine"}))
    assert "the practice's own calendar feed" in page.get_text()
    assert page.select_one("input[name=label]")["value"] == "Mine"
    page = soup(client.post(add_url(), {"kind": "ics", "address": "file:///etc/passwd"}))
    assert "must start with https://" in page.get_text()
    page = soup(client.post(add_url(), {"kind": "caldav", "address": "https://dav.example/"}))
    assert page.get_text().count("A CalDAV calendar needs this.") == 2
    assert not CalendarSource.objects.exists()


def test_who_may_manage_a_practitioners_calendars(client):
    rosa_login()
    client.force_login(staff_member("desk", FRONT_DESK))  # may change practitioners
    assert client.get(add_url()).status_code == 200
    client.force_login(staff_member("other", PRACTITIONER))
    refused = client.get(add_url())  # Wagtail sends a refused page back to the dashboard
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    source = ics_source(SECRET)
    remove = reverse("booking_staff:calendar_remove", args=[practitioner().pk, source.pk])
    assert client.post(remove).url == reverse("wagtailadmin_home")
    assert CalendarSource.objects.exists()


def test_removing_a_calendar_frees_its_busy_times(client):
    client.force_login(rosa_login())
    held = busy(local(MONDAY, 10), local(MONDAY, 11))
    assert local(MONDAY, 10) not in offered(MONDAY)
    client.post(reverse("booking_staff:calendar_remove", args=[practitioner().pk, held.source_id]))
    assert not BusyTime.objects.exists() and local(MONDAY, 10) in offered(MONDAY)


def booking_form(**extra):
    return {
        "service": practitioner().services.get(slug="follow-up-treatment").pk,
        "practitioner": practitioner().pk,
        "date": MONDAY.isoformat(),
        "time": "10:00",
        "first_name": "Ada",
        "last_name": "Caller",
        "email": "",
        "phone": "(555) 010-0199",
        "date_of_birth": "1970-02-02",
        "red_flags": "none",
        **extra,
    }


def test_staff_book_over_a_busy_time_only_after_a_warning(client, soup):
    busy(local(MONDAY, 10), local(MONDAY, 11))
    client.force_login(staff_member("desk", FRONT_DESK))
    url = reverse("booking_staff:book_for_patient")
    page = soup(client.post(url, booking_form()))
    assert "own calendar shows them busy" in page.select_one("[role=alert]").get_text()
    assert page.select_one("input[name=over_busy][type=checkbox]")
    assert page.select_one("input[name=first_name]")["value"] == "Ada"
    assert not Appointment.objects.exists()

    response = client.post(url, booking_form(over_busy="on"))
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == local(MONDAY, 10)


def test_staff_first_available_prefers_whoever_is_truly_free():
    # Omar does not work Mondays; on Tuesday both do: Rosa's busy time sends it to Omar.
    tuesday = next_weekday(1)
    busy(local(tuesday, 11), local(tuesday, 12))
    appointment = book(start=local(tuesday, 11), who=None, by_staff=True, intake=None)
    assert appointment.practitioner.name == "Omar Haddad"


def test_staff_move_onto_a_busy_time_after_a_warning(client, soup):
    appointment = book(start=local(MONDAY, 14))
    busy(local(MONDAY, 10), local(MONDAY, 11))
    client.force_login(staff_member("desk", FRONT_DESK))
    url = reverse("booking_staff:reschedule", args=[appointment.pk])
    page = soup(client.post(url, {"date": MONDAY.isoformat(), "time": "10:00"}))
    assert "own calendar shows them busy" in page.get_text()
    client.post(url, {"date": MONDAY.isoformat(), "time": "10:00", "over_busy": "on"})
    appointment.refresh_from_db()
    assert appointment.starts_at == local(MONDAY, 10)
