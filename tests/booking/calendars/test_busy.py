"""Which events keep patients out, read from calendar data alone (booking/calendars/busy.py:
no database, no network, fixed dates)."""

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from booking.calendars.busy import Rules, busy_spans

from .people import london_vtimezone

NY = ZoneInfo("America/New_York")
RULES = Rules(zone=NY, practice_host="practice.example", own_addresses=frozenset({"rosa@x.test"}))
START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2027, 4, 30, tzinfo=dt.UTC)


def calendar(*events: str, prodid: str = "-//Somebody's calendar//EN", extra: str = "") -> Calendar:
    body = "\n".join(
        f"BEGIN:VEVENT\nDTSTAMP:20270101T000000Z\n{e.strip()}\nEND:VEVENT" for e in events
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:{prodid}\n{extra}{body}\nEND:VCALENDAR\n"
    return Calendar.from_ical(text.replace("\n", "\r\n"))


def spans(*events: str, rules: Rules = RULES, **kwargs) -> list[tuple[dt.datetime, dt.datetime]]:
    found = busy_spans([calendar(*events, **kwargs)], start=START, end=END, rules=rules)
    return [(a.astimezone(NY), b.astimezone(NY)) for a, b in found]


def at(month: int, day: int, hour: int, minute: int = 0, zone=NY) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, minute, tzinfo=zone)


def test_a_weekly_event_blocks_every_week_not_only_the_first():
    found = spans(
        """UID:w
DTSTART;TZID=America/New_York:20270104T100000
DTEND;TZID=America/New_York:20270104T110000
RRULE:FREQ=WEEKLY;COUNT=6"""
    )
    assert [s for s, _ in found] == [at(1, 4, 10) + dt.timedelta(weeks=w) for w in range(6)]


def test_exdate_rdate_a_moved_and_a_cancelled_occurrence():
    found = spans(
        """UID:w
DTSTART;TZID=America/New_York:20270104T100000
DTEND;TZID=America/New_York:20270104T110000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=America/New_York:20270111T100000
RDATE;TZID=America/New_York:20270107T160000""",
        """UID:w
RECURRENCE-ID;TZID=America/New_York:20270118T100000
DTSTART;TZID=America/New_York:20270118T140000
DTEND;TZID=America/New_York:20270118T153000""",
        """UID:w
RECURRENCE-ID;TZID=America/New_York:20270125T100000
DTSTART;TZID=America/New_York:20270125T100000
DTEND;TZID=America/New_York:20270125T110000
STATUS:CANCELLED""",
    )
    assert found == [
        (at(1, 4, 10), at(1, 4, 11)),
        (at(1, 7, 16), at(1, 7, 17)),  # RDATE: the series' length
        (at(1, 18, 14), at(1, 18, 15, 30)),  # moved
        (at(2, 1, 10), at(2, 1, 11)),
    ]


def test_an_event_in_its_own_zone_follows_that_zone_across_daylight_saving():
    # 15:00 in London is 10:00 in New York, but 11:00 between the US change (Mar 14) and
    # the UK's (Mar 28); the zone comes from the file's own VTIMEZONE, under its own name.
    london = london_vtimezone("My London")
    found = spans(
        """UID:l
DTSTART;TZID=My London:20270309T150000
DTEND;TZID=My London:20270309T160000
RRULE:FREQ=WEEKLY;COUNT=4""",
        extra=london,
    )
    assert [s.hour for s, _ in found] == [10, 11, 11, 10]


def test_free_cancelled_and_transparent_events_block_nothing():
    assert not spans(
        "UID:a\nDTSTART:20270105T150000Z\nDTEND:20270105T160000Z\nTRANSP:TRANSPARENT",
        "UID:b\nDTSTART:20270105T150000Z\nDTEND:20270105T160000Z\nSTATUS:CANCELLED",
        "UID:c\nDTSTART:20270105T150000Z\nDTEND:20270105T160000Z\nX-MICROSOFT-CDO-BUSYSTATUS:FREE",
    )


def test_declined_invitations_never_block_and_unanswered_ones_as_set():
    invitation = """UID:{uid}
DTSTART:20270105T150000Z
DTEND:20270105T160000Z
ORGANIZER:mailto:boss@x.test
ATTENDEE;PARTSTAT={answer}:mailto:Rosa@X.test
ATTENDEE;PARTSTAT=ACCEPTED:mailto:other@x.test"""
    declined = invitation.format(uid="d", answer="DECLINED")
    unanswered = invitation.format(uid="u", answer="NEEDS-ACTION")
    accepted = (
        invitation.format(uid="a", answer="ACCEPTED").replace("T15", "T17").replace("T16", "T18")
    )
    assert spans(declined, unanswered, accepted) == [(at(1, 5, 12), at(1, 5, 13))]
    strict = Rules(**{**RULES.__dict__, "unanswered_busy": True})
    assert spans(declined, unanswered, accepted, rules=strict) == [
        (at(1, 5, 10), at(1, 5, 11)),
        (at(1, 5, 12), at(1, 5, 13)),
    ]


def test_all_day_events_only_when_set_and_then_on_the_practice_clock():
    event = "UID:d\nDTSTART;VALUE=DATE:20270105\nDTEND;VALUE=DATE:20270107"
    assert not spans(event)
    with_all_day = Rules(**{**RULES.__dict__, "include_all_day": True})
    assert spans(event, rules=with_all_day) == [(at(1, 5, 0), at(1, 7, 0))]


def test_floating_times_are_read_on_the_practice_clock_and_overlaps_merge():
    found = spans(
        "UID:f\nDTSTART:20270105T090000\nDTEND:20270105T100000",
        "UID:g\nDTSTART:20270105T093000\nDURATION:PT1H",
        "UID:z\nDTSTART:20270105T120000\nDTEND:20270105T120000",  # no length: nothing
    )
    assert found == [(at(1, 5, 9), at(1, 5, 10, 30))]


def test_the_practices_own_appointments_are_never_read_back():
    own = "UID:appointment-0b7c1f0e-8a4e-4c55-9a49-3f1b2d9e1a11@practice.example\n"
    elsewhere = own.replace("practice.example", "other-practice.example")
    times = "DTSTART:20270105T150000Z\nDTEND:20270105T160000Z"
    assert not spans(own + times)
    assert spans(elsewhere + times)  # another practice's appointment: a busy time
    assert not spans(
        "UID:x\n" + times, prodid="-//Acupuncture practice booking//practitioner feed//EN"
    )
