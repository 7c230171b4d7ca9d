"""A practitioner's ICS address, served by a plain HTTP server on loopback: conditional
requests, a slow server, a dead one, the practice's own feed; pages never call out."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.calendars.sync import calendar_source_sync
from booking.models import BusyTime, Service
from booking.staff.calendar_feed import feed_ics
from tests.clock import local, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner

from .people import ics_source, offered, rosa_login, stamp

pytestmark = pytest.mark.django_db

MONDAY = next_weekday(0)


def feed(*events: tuple[dt.datetime, dt.datetime, str]) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp(a)}\r\nDTSTART:{stamp(a)}\r\n"
        f"DTEND:{stamp(b)}\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
        for a, b, uid in events
    )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        f"{body}END:VCALENDAR\r\n"
    ).encode()


DENTIST = (local(MONDAY, 10), local(MONDAY, 11), "dentist")
SECRET_PATH = "/calendar/ical/rosa%40example.com/private-5ecr3t0k3n/basic.ics"


def test_the_feed_is_asked_conditionally_and_an_unchanged_one_keeps_its_times(ics_server):
    ics_server.files[SECRET_PATH] = feed(DENTIST)
    source = ics_source(ics_server.url + SECRET_PATH)
    calendar_source_sync(source=source)
    assert local(MONDAY, 10) not in offered(MONDAY)

    calendar_source_sync(source=source)
    (_, first), (_, second) = ics_server.requests
    assert "If-None-Match" not in first and second["If-None-Match"] == source.etag
    assert BusyTime.objects.count() == 1  # 304: kept as they were
    source.refresh_from_db()
    assert source.last_synced_at and not source.last_error

    ics_server.files[SECRET_PATH] = feed((local(MONDAY, 14), local(MONDAY, 15), "moved"))
    calendar_source_sync(source=source)
    monday = offered(MONDAY)
    assert local(MONDAY, 10) in monday and local(MONDAY, 14) not in monday


def test_a_slow_server_is_given_up_on_and_never_slows_a_page(ics_server, settings, client):
    settings.CALENDAR_TIMEOUT_SECONDS = 1
    ics_server.files[SECRET_PATH] = feed(DENTIST)
    source = ics_source(ics_server.url + SECRET_PATH)
    calendar_source_sync(source=source)

    ics_server.delay = 4
    began = time.monotonic()
    result = calendar_source_sync(source=source)
    assert time.monotonic() - began < 3
    assert not result.ok and source.last_error == "The server did not answer within 1 seconds."
    assert BusyTime.objects.count() == 1  # the last good read still holds

    asked = len(ics_server.requests)
    began = time.monotonic()
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    page = client.get("/book/time/")
    booked = book(start=local(MONDAY, 11))
    assert time.monotonic() - began < ics_server.delay
    assert page.status_code == 200 and booked.pk
    assert len(ics_server.requests) == asked  # nothing in the request path calls out


def test_a_dead_address_keeps_the_last_times_and_says_why(ics_server):
    ics_server.files[SECRET_PATH] = feed(DENTIST)
    source = ics_source(ics_server.url + SECRET_PATH)
    calendar_source_sync(source=source)
    del ics_server.files[SECRET_PATH]
    source.covered_until = None  # ask unconditionally
    calendar_source_sync(source=source)
    assert source.last_error == "Nothing is at this address any more (404)."
    assert local(MONDAY, 10) not in offered(MONDAY)

    ics_server.files[SECRET_PATH] = b"<html>Sign in</html>"
    calendar_source_sync(source=source)
    assert source.last_error == "The address did not give a calendar file." and source.failures == 2


def test_the_practices_own_feed_subscribed_and_shared_back_blocks_nothing(ics_server, settings):
    settings.SITE_URL = "https://practice.example"
    rosa = practitioner()
    appointment = book(start=local(MONDAY, 10))
    ics_server.files["/mine.ics"] = feed_ics(rosa, now=timezone.now())
    ics_server.files["/mixed.ics"] = feed(
        (
            appointment.starts_at,
            appointment.ends_at,
            f"appointment-{appointment.public_id}@practice.example",
        ),
        (local(MONDAY, 15), local(MONDAY, 16), "own-event"),
    )
    for path in ("/mine.ics", "/mixed.ics"):
        calendar_source_sync(source=ics_source(ics_server.url + path))
    assert list(BusyTime.objects.values_list("starts_at", flat=True)) == [local(MONDAY, 15)]


def test_the_secret_address_is_encrypted_at_rest_and_kept_out_of_logs(ics_server, caplog):
    from django.db import connection

    ics_server.files[SECRET_PATH] = feed(DENTIST)
    with caplog.at_level("DEBUG"):
        source = ics_source(ics_server.url + SECRET_PATH)
        calendar_source_sync(source=source)
        del ics_server.files[SECRET_PATH]
        source.covered_until = None
        calendar_source_sync(source=source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, address_hint FROM booking_calendarsource")
        [(stored, hint)] = cursor.fetchall()
    assert "5ecr3t0k3n" not in stored and "5ecr3t0k3n" not in hint
    assert hint == f"{ics_server.url}/…"
    assert "5ecr3t0k3n" not in caplog.text and "Calendar source" in caplog.text


def test_staff_pages_read_stored_busy_times_only(ics_server, client, soup):
    user = rosa_login()
    ics_server.files[SECRET_PATH] = feed(DENTIST)
    calendar_source_sync(source=ics_source(ics_server.url + SECRET_PATH))
    ics_server.delay = 5
    client.force_login(user)
    asked = len(ics_server.requests)
    agenda = client.get(reverse("booking_staff:agenda"), {"date": MONDAY.isoformat()})
    blocks = [b.get_text(" ", strip=True) for b in soup(agenda).select(".agenda-block--time-off")]
    assert blocks == ["10:00\N{EN DASH}11:00 AM Busy"]
    assert "Dentist" not in agenda.content.decode()
    assert len(ics_server.requests) == asked
