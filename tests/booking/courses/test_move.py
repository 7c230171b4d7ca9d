"""Moving sessions of a course by scope (booking/courses/services.py), on SQLite and
PostgreSQL: all of them or none, each checked like a booking, each with its own email."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from booking import services, tasks
from booking.courses.plan import SessionState
from booking.courses.present import move_summary
from booking.courses.selectors import Scope, course_preview
from booking.courses.services import SessionChoice, course_book, course_move
from booking.models import Appointment, BookingPolicy, TimeOff
from booking.uids import appointment_uid
from tests.clock import local, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner

MONDAY = next_weekday(0)
WEEK = dt.timedelta(weeks=1)


def course_of(count, *, first=None, hour=10):
    """A weekly course: the first session and ``count`` more, all booked."""
    anchor = book(start=first or local(MONDAY, hour))
    rows = course_preview(appointment=anchor, every_weeks=1, count=count, now=timezone.now())
    outcome = course_book(
        appointment=anchor,
        every_weeks=1,
        planned=count,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )
    assert len(outcome.booked) == count
    return [anchor, *outcome.booked]


def starts():
    return [a.starts_at for a in Appointment.objects.filter(status="confirmed").order_by("pk")]


@pytest.mark.django_db
def test_this_and_the_following_move_a_day_on_at_the_new_time_each_with_its_email(
    django_capture_on_commit_callbacks,
):
    sessions = course_of(3)
    uids_before = [s.public_id for s in sessions]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = course_move(
            appointment=sessions[1],
            scope=Scope.FOLLOWING,
            start=local(MONDAY + WEEK + dt.timedelta(days=1), 14),
        )

    assert not outcome.held_back and not outcome.refused
    assert [s.pk for s in outcome.moved] == [s.pk for s in sessions[1:]]
    assert starts() == [
        local(MONDAY, 10),
        local(MONDAY + WEEK + dt.timedelta(days=1), 14),
        local(MONDAY + 2 * WEEK + dt.timedelta(days=1), 14),
        local(MONDAY + 3 * WEEK + dt.timedelta(days=1), 14),
    ]
    moved = Appointment.objects.filter(pk__in=[s.pk for s in sessions[1:]]).order_by("pk")
    assert [m.sequence for m in moved] == [s.sequence + 1 for s in sessions[1:]]
    assert [s.public_id for s in Appointment.objects.order_by("pk")] == uids_before
    # One email to the patient listing the sessions, with each one's calendar file (its
    # own UID, its raised sequence); the practitioner gets one notice listing them.
    [to_patient] = [m for m in mail.outbox if sessions[0].patient.email in m.to]
    assert to_patient.subject.endswith("Your sessions have moved")
    calendars = [a for a in to_patient.attachments if a[0].endswith(".ics")]
    assert len(calendars) == 3
    for (_name, ics, _type), session in zip(calendars, moved, strict=True):
        assert f"SEQUENCE:{session.sequence}" in ics
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        assert f"UID:{appointment_uid(session.public_id, host)}" in ics.replace("\r\n ", "")
    assert to_patient.body.count("See, move or cancel this session:") == 3
    [to_practitioner] = [m for m in mail.outbox if m is not to_patient]
    assert to_practitioner.subject.endswith("Course sessions moved")
    assert to_practitioner.body.count("\n- ") == 3


@pytest.mark.django_db
def test_the_whole_course_moves_by_its_own_interval_onto_its_own_old_times():
    sessions = course_of(2)
    outcome = course_move(appointment=sessions[0], scope=Scope.COURSE, start=sessions[1].starts_at)

    assert len(outcome.moved) == 3
    assert starts() == [local(MONDAY + WEEK * k, 10) for k in (1, 2, 3)]


@pytest.mark.django_db
def test_if_any_session_cannot_move_none_does_and_the_rows_say_why():
    sessions = course_of(3)
    target = local(MONDAY + dt.timedelta(days=2), 15)  # Wednesdays at 15:00
    book(start=target + 2 * WEEK)  # someone else, on the third's new time
    TimeOff.objects.create(
        practitioner=practitioner(),
        starts_at=local(MONDAY + 3 * WEEK + dt.timedelta(days=2), 0),
        ends_at=local(MONDAY + 3 * WEEK + dt.timedelta(days=3), 0),
    )
    before = starts()

    outcome = course_move(appointment=sessions[0], scope=Scope.COURSE, start=target)

    assert outcome.held_back and not outcome.moved
    assert [row.move.state for row in outcome.rows] == [
        SessionState.FREE,
        SessionState.FREE,
        SessionState.TAKEN,
        SessionState.AWAY,
    ]
    assert starts() == before
    assert [s.sequence for s in Appointment.objects.filter(pk__in=[s.pk for s in sessions])] == [
        s.sequence for s in sessions
    ]

    # "Move the others": the two that can, and only those.
    free = [row.session.public_id for row in outcome.rows if row.move.can_move]
    again = course_move(appointment=sessions[0], scope=Scope.COURSE, start=target, only=free)
    assert [s.pk for s in again.moved] == [s.pk for s in sessions[:2]]
    assert [row.move.state for row in again.refused] == []
    assert starts()[:2] == [target, target + WEEK]
    assert starts()[2:4] == before[2:4]


@pytest.mark.django_db
def test_a_session_too_close_to_change_online_stays_and_holds_back_the_rest():
    sessions = course_of(2)
    with time_machine.travel(sessions[0].starts_at - dt.timedelta(hours=2), tick=False):
        outcome = course_move(
            appointment=sessions[1],
            scope=Scope.COURSE,
            start=sessions[1].starts_at + dt.timedelta(hours=4),
        )
        assert outcome.held_back
        assert [row.move.state for row in outcome.rows] == [
            SessionState.LOCKED,
            SessionState.FREE,
            SessionState.FREE,
        ]
        # Staff may move it all the same.
        staff = course_move(
            appointment=sessions[1],
            scope=Scope.COURSE,
            start=sessions[1].starts_at + dt.timedelta(hours=4),
            by_staff=True,
        )
    assert len(staff.moved) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
def test_a_course_moved_across_a_clock_change_keeps_the_new_local_time(settings, zone):
    settings.TIME_ZONE = zone
    tz = timezone.get_default_timezone()
    policy = BookingPolicy.load()
    policy.booking_horizon_days = 400
    policy.save()
    # Mondays through late October and November: the autumn change of both zones inside.
    first = dt.datetime(2027, 10, 18, 10, tzinfo=tz)
    with time_machine.travel(dt.datetime(2027, 10, 1, 9, tzinfo=tz), tick=False):
        sessions = course_of(3, first=first)
        outcome = course_move(
            appointment=sessions[0],
            scope=Scope.COURSE,
            start=dt.datetime(2027, 10, 19, 15, tzinfo=tz),
        )

    assert len(outcome.moved) == 4
    local_starts = [s.astimezone(tz) for s in starts()]
    assert {s.time() for s in local_starts} == {dt.time(15)}
    assert {s.weekday() for s in local_starts} == {1}
    assert len({s.utcoffset() for s in local_starts}) == 2


@pytest.mark.django_db
def test_the_course_email_leaves_out_a_session_changed_again_since():
    sessions = course_of(2)
    outcome = course_move(
        appointment=sessions[0],
        scope=Scope.COURSE,
        start=sessions[0].starts_at + dt.timedelta(hours=4),
    )
    moved = sorted(outcome.moved, key=lambda a: a.starts_at)
    ids, sequences = [a.pk for a in moved], [a.sequence for a in moved]
    services.appointment_cancel(appointment=moved[1])
    mail.outbox.clear()

    assert tasks.send_course_moved_email.call(appointment_ids=ids, sequences=sequences) == "sent"
    [message] = mail.outbox
    assert len([a for a in message.attachments if a[0].endswith(".ics")]) == 2
    for session in (moved[0], moved[2]):
        services.appointment_cancel(appointment=session)
    assert (
        tasks.send_course_moved_email.call(appointment_ids=ids, sequences=sequences) == "superseded"
    )


@pytest.mark.django_db
def test_a_move_sent_twice_writes_and_sends_nothing_the_second_time(
    django_capture_on_commit_callbacks,
):
    sessions = course_of(1)
    start = sessions[0].starts_at + dt.timedelta(hours=4)
    course_move(appointment=sessions[0], scope=Scope.COURSE, start=start)
    moved = {a.pk: a.sequence for a in Appointment.objects.all()}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = course_move(appointment=sessions[0], scope=Scope.COURSE, start=start)

    assert again.rows == [] and not again.held_back
    assert move_summary(again) == "Nothing to move: the sessions are at those times already."
    assert {a.pk: a.sequence for a in Appointment.objects.all()} == moved
    assert mail.outbox == []
