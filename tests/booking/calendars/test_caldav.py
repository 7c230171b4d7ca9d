"""A practitioner's CalDAV calendar on a real server (Radicale on loopback), filled through
the ``caldav`` client as a phone would fill it, and the free times patients are then
offered; the server stopped mid-run leaves booking working on the last busy times."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from booking import services, tasks
from booking.calendars.sync import calendar_source_sync
from booking.models import BusyTime, CalendarSource, Service
from tests.clock import local, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner

from .people import (
    ROSA_EMAIL,
    ZONE,
    caldav_source,
    day_stamp,
    local_stamp,
    london_vtimezone,
    offered,
    rosa_login,
    stamp,
    vevent,
)

pytestmark = [pytest.mark.django_db, pytest.mark.radicale]

MONDAY = next_weekday(0)
TUESDAY = next_weekday(1)
WEDNESDAY = next_weekday(2)


def fill(radicale):
    """A week-by-week school run (one week skipped, one moved), a transparent all-day
    event, a declined invitation and an accepted one, in Rosa's calendar."""
    calendar = radicale.client().principal().make_calendar(name="Personal")
    first = local(MONDAY - dt.timedelta(weeks=2), 10)  # the series began before the window
    calendar.save_event(
        vevent(
            "school-run",
            f"""BEGIN:VEVENT
UID:{{uid}}
DTSTAMP:{stamp(first)}
DTSTART;TZID={ZONE}:{local_stamp(first)}
DTEND;TZID={ZONE}:{local_stamp(first + dt.timedelta(hours=1))}
RRULE:FREQ=WEEKLY
EXDATE;TZID={ZONE}:{local_stamp(local(MONDAY + dt.timedelta(weeks=1), 10))}
SUMMARY:School run
END:VEVENT
BEGIN:VEVENT
UID:{{uid}}
DTSTAMP:{stamp(first)}
RECURRENCE-ID;TZID={ZONE}:{local_stamp(local(MONDAY + dt.timedelta(weeks=2), 10))}
DTSTART;TZID={ZONE}:{local_stamp(local(MONDAY + dt.timedelta(weeks=2), 15))}
DTEND;TZID={ZONE}:{local_stamp(local(MONDAY + dt.timedelta(weeks=2), 16))}
SUMMARY:School run (moved)
END:VEVENT""",
        )
    )
    calendar.save_event(
        vevent(
            "holiday",
            f"""BEGIN:VEVENT
UID:{{uid}}
DTSTAMP:{stamp(first)}
DTSTART;VALUE=DATE:{day_stamp(TUESDAY)}
DTEND;VALUE=DATE:{day_stamp(TUESDAY + dt.timedelta(days=1))}
TRANSP:TRANSPARENT
SUMMARY:Partner's birthday
END:VEVENT""",
        )
    )
    for uid, hour, answer in (("declined", 10, "DECLINED"), ("accepted", 14, "ACCEPTED")):
        calendar.save_event(
            vevent(
                uid,
                f"""BEGIN:VEVENT
UID:{{uid}}
DTSTAMP:{stamp(first)}
DTSTART:{stamp(local(WEDNESDAY, hour))}
DTEND:{stamp(local(WEDNESDAY, hour + 1))}
ORGANIZER:mailto:school@example.org
ATTENDEE;PARTSTAT={answer}:mailto:{ROSA_EMAIL}
SUMMARY:Parents' evening
END:VEVENT""",
            )
        )
    return calendar


def test_patients_are_offered_only_the_times_her_calendar_leaves_free(radicale):
    rosa_login()
    fill(radicale)
    source = caldav_source(radicale)
    assert local(MONDAY, 10) in offered(MONDAY)  # nothing read yet

    tasks.sync_calendars.enqueue()  # the repeating task: every source of an active practitioner

    source.refresh_from_db()
    assert source.last_synced_at and not source.last_error
    monday = offered(MONDAY)
    assert local(MONDAY, 10) not in monday and local(MONDAY, 9, 15) not in monday
    assert {local(MONDAY, 9), local(MONDAY, 11)} <= monday  # the school run is 10 to 11
    assert local(MONDAY + dt.timedelta(weeks=1), 10) in offered(MONDAY + dt.timedelta(weeks=1))
    moved = offered(MONDAY + dt.timedelta(weeks=2))
    assert local(MONDAY + dt.timedelta(weeks=2), 10) in moved
    assert local(MONDAY + dt.timedelta(weeks=2), 15) not in moved
    assert local(MONDAY + dt.timedelta(weeks=3), 10) not in offered(MONDAY + dt.timedelta(weeks=3))
    assert local(TUESDAY, 10) in offered(TUESDAY)  # transparent, all day
    wednesday = offered(WEDNESDAY)
    assert local(WEDNESDAY, 10) in wednesday  # declined
    assert local(WEDNESDAY, 14) not in wednesday  # accepted
    # Only times are kept: nothing of what the events were.
    assert set(BusyTime._meta.get_fields()) >= {BusyTime._meta.get_field("starts_at")}
    assert {f.name for f in BusyTime._meta.concrete_fields} == {
        "id",
        "source",
        "practitioner",
        "starts_at",
        "ends_at",
    }


def test_a_weekly_event_in_another_zone_follows_it_across_daylight_saving(radicale):
    # New York moves its clocks on the second Sunday of March, London on the last one:
    # in between, 15:00 in London is 11:00 in New York instead of 10:00.
    with time_machine.travel(local(dt.date(2027, 3, 1), 9), tick=True):
        calendar = radicale.client().principal().make_calendar(name="Work")
        calendar.save_event(
            vevent(
                "london-call",
                london_vtimezone("Europe/London")
                + """BEGIN:VEVENT
UID:{uid}
DTSTAMP:20270301T000000Z
DTSTART;TZID=Europe/London:20270309T150000
DTEND;TZID=Europe/London:20270309T160000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Call with London
END:VEVENT""",
            )
        )
        calendar_source_sync(source=caldav_source(radicale))
        tuesdays = [dt.date(2027, 3, d) for d in (9, 16, 23, 30)]
        blocked = [
            sorted({10, 11} - {t.hour for t in offered(day) if t.minute == 0}) for day in tuesdays
        ]
    assert blocked == [[10], [11], [11], [10]]


def test_the_server_stopped_mid_run_leaves_booking_on_the_last_busy_times(radicale, client):
    user = rosa_login()
    fill(radicale)
    source = caldav_source(radicale)
    calendar_source_sync(source=source)
    held = list(BusyTime.objects.values_list("starts_at", "ends_at"))
    assert held

    radicale.stop()
    for _ in range(3):
        tasks.sync_calendar_source.enqueue(source_id=source.pk)

    source.refresh_from_db()
    assert list(BusyTime.objects.values_list("starts_at", "ends_at")) == held
    assert source.failures == 3 and source.last_error == "The server could not be reached."
    assert local(MONDAY, 10) not in offered(MONDAY)
    with pytest.raises(services.SlotTaken):
        book(start=local(MONDAY, 10))
    assert book(start=local(MONDAY, 11)).pk  # the rest of the day books as ever

    [notice] = [m for m in mail.outbox if "calendar could not be read" in m.subject]
    assert notice.to == [ROSA_EMAIL]
    assert "The server could not be reached." in notice.body
    assert radicale.password not in notice.body and "School run" not in notice.body
    tasks.sync_calendar_source.enqueue(source_id=source.pk)
    assert len([m for m in mail.outbox if "calendar could not be read" in m.subject]) == 1

    client.force_login(user)
    page = client.get(reverse("booking_practitioner:inspect", args=[practitioner().pk]))
    text = page.content.decode()
    assert "Last synced:" in text and "The server could not be reached." in text
    assert radicale.password not in text and "School run" not in text


def test_a_wrong_app_password_is_reported_without_the_password(radicale, caplog):
    fill(radicale)
    source = caldav_source(radicale)
    CalendarSource.objects.filter(pk=source.pk).update(password=None)
    source = CalendarSource.objects.get(pk=source.pk)
    source.password = "not-the-password-Z9"
    source.save()
    with caplog.at_level("DEBUG"):
        result = calendar_source_sync(source=source)
    assert not result.ok
    assert source.last_error == "The server refused the user name or app password."
    assert "not-the-password-Z9" not in caplog.text and radicale.url not in caplog.text
    assert not BusyTime.objects.exists()
    assert Service.objects.exists()
