"""What the calendar tests share: Rosa's login, her sources, and the times she is offered."""

import datetime as dt

from django.utils import timezone

from booking import selectors
from booking.calendars.sync import calendar_source_create
from booking.groups import PRACTITIONER
from booking.models import CalendarSourceKind, Practitioner, Service
from tests.clock import TZ
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member

ZONE = TZ.key  # the practice's zone, as a TZID

ROSA_EMAIL = "rosa-test@example.com"


def rosa_login():
    user = staff_member("rosa-test", PRACTITIONER)
    Practitioner.objects.filter(profile__slug="rosa-lind").update(user=user)
    return user


def caldav_source(radicale, **fields):
    return calendar_source_create(
        practitioner=practitioner(),
        kind=CalendarSourceKind.CALDAV,
        address=radicale.url,
        username=radicale.user,
        password=radicale.password,
        **fields,
    )


def ics_source(address: str, **fields):
    return calendar_source_create(
        practitioner=practitioner(), kind=CalendarSourceKind.ICS, address=address, **fields
    )


def offered(day: dt.date, *, days: int = 1) -> set[dt.datetime]:
    """Rosa's free starts for a follow-up on ``day`` (and the days after), local times."""
    free = selectors.slot_list_free(
        service=Service.objects.get(slug="follow-up-treatment"),
        practitioner=practitioner(),
        first_day=day,
        days=days,
        now=timezone.now(),
    )
    zone = timezone.get_default_timezone()
    return {slot.start.astimezone(zone) for slot in free}


def vevent(uid: str, lines: str) -> str:
    """A calendar file holding one event (and its moved occurrences), as a client sends it."""
    body = lines.strip().replace("\n", "\r\n")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rosa's phone//EN\r\n"
        f"{body}\r\nEND:VCALENDAR\r\n"
    ).replace("{uid}", uid)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(moment: dt.datetime) -> str:
    """``moment`` as the practice's wall-clock time, for a ``;TZID=`` property: a weekly
    event written so keeps its local hour across a clock change, as calendar programs do."""
    return moment.astimezone(TZ).strftime("%Y%m%dT%H%M%S")


def day_stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def london_vtimezone(tzid: str) -> str:
    """London's rules as a calendar file writes them (a VTIMEZONE), under the name ``tzid``:
    the clocks go forward on the last Sunday of March and back on the last of October."""
    return f"""BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:STANDARD
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE
"""
