"""A booking that commits over its own connection while a course is being moved, after the
move read the schedule and before it writes that session: the exclusion constraint refuses
that one session, which stays where it was and is said so; with nothing to spare (all or
nothing) none moves."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from booking.courses import services as course_services
from booking.courses.plan import SessionState
from booking.courses.present import move_summary
from booking.courses.selectors import Scope, course_preview
from booking.courses.services import SessionChoice, course_book, course_move
from booking.models import Appointment
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a second connection committing mid-transaction is tested on PostgreSQL",
)

MONDAY = next_weekday(0, weeks_ahead=2)
WEEK = dt.timedelta(weeks=1)
TUESDAY_TWO = local(MONDAY + dt.timedelta(days=1), 14)


def course_of(count):
    anchor = book(start=local(MONDAY, 10), patient=details(email="course@example.com"))
    rows = course_preview(appointment=anchor, every_weeks=1, count=count, now=timezone.now())
    outcome = course_book(
        appointment=anchor,
        every_weeks=1,
        planned=count,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )
    return [anchor, *outcome.booked]


def rival_books_first(monkeypatch, at: dt.datetime, raced: list):
    """Another patient's booking of ``at`` commits just before the move writes that time."""
    move = course_services.session_move

    def racing(session, start):
        if start == at and not raced:

            def rival():
                try:
                    raced.append(book(start=at, patient=details(email="rival@example.com")))
                finally:
                    connections.close_all()

            thread = threading.Thread(target=rival)
            thread.start()
            thread.join(timeout=30)
        return move(session, start)

    monkeypatch.setattr(course_services, "session_move", racing)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_committed_between_preview_and_confirm_leaves_that_session_where_it_was(
    committed,
    monkeypatch,
):
    sessions = course_of(2)
    book(start=TUESDAY_TWO + 2 * WEEK, patient=details(email="other@example.com"))
    preview = course_move(appointment=sessions[0], scope=Scope.COURSE, start=TUESDAY_TWO)
    assert preview.held_back
    free = [row.session.public_id for row in preview.rows if row.move.can_move]
    assert len(free) == 2
    raced = []
    rival_books_first(monkeypatch, TUESDAY_TWO + WEEK, raced)

    outcome = course_move(appointment=sessions[0], scope=Scope.COURSE, start=TUESDAY_TWO, only=free)

    assert len(raced) == 1
    assert [s.pk for s in outcome.moved] == [sessions[0].pk]
    [refused] = outcome.refused
    assert (refused.session.pk, refused.move.state) == (sessions[1].pk, SessionState.TAKEN)
    assert "1 session moved." in move_summary(outcome)
    assert "stays where it was (taken since)" in move_summary(outcome)
    now = {a.pk: a.starts_at for a in Appointment.objects.filter(course=sessions[0].course)}
    assert now == {
        sessions[0].pk: TUESDAY_TWO,
        sessions[1].pk: sessions[1].starts_at,
        sessions[2].pk: sessions[2].starts_at,
    }
    assert Appointment.objects.get(pk=sessions[1].pk).sequence == sessions[1].sequence
    assert Appointment.objects.get(starts_at=TUESDAY_TWO + WEEK).patient.email == (
        "rival@example.com"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_committed_mid_move_of_all_or_nothing_moves_none(
    committed,
    monkeypatch,
):
    sessions = course_of(2)
    raced = []
    rival_books_first(monkeypatch, TUESDAY_TWO + WEEK, raced)

    outcome = course_move(appointment=sessions[0], scope=Scope.COURSE, start=TUESDAY_TWO)

    assert len(raced) == 1
    assert outcome.held_back and not outcome.moved
    assert [row.move.state for row in outcome.rows] == [
        SessionState.FREE,
        SessionState.TAKEN,
        SessionState.FREE,
    ]
    # The third had moved inside the transaction; it is back, in the database and here.
    assert [row.session.starts_at for row in outcome.rows] == [s.starts_at for s in sessions]
    stored = Appointment.objects.filter(pk__in=[s.pk for s in sessions]).order_by("starts_at")
    assert [a.starts_at for a in stored] == [s.starts_at for s in sessions]
    assert [a.sequence for a in stored] == [s.sequence for s in sessions]
