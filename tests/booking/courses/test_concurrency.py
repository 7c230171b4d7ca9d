"""A booking that commits over its own connection while a course is being booked, after the
course read the schedule and before it inserts that session: the exclusion constraint
refuses that one session, its savepoint rolls back, and the rest of the course stands."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from booking.courses import services as course_services
from booking.courses.plan import SessionState
from booking.courses.selectors import course_preview
from booking.courses.services import SessionChoice, course_book
from booking.models import Appointment, Course
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a second connection committing mid-transaction is tested on PostgreSQL",
)

MONDAY = next_weekday(0, weeks_ahead=2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_committed_mid_course_leaves_exactly_that_session_unbooked(
    committed, monkeypatch
):
    first = book(start=local(MONDAY, 10), patient=details(email="course@example.com"))
    rows = course_preview(appointment=first, every_weeks=1, count=4, now=timezone.now())
    assert all(row.is_free for row in rows)
    third = rows[2].start
    create = course_services._session_create
    raced = []

    def other_patient_books_first(**kwargs):
        if kwargs["start"] == third and not raced:
            # Another patient's booking of that very time commits over its own connection.
            def rival():
                try:
                    raced.append(book(start=third, patient=details(email="rival@example.com")))
                finally:
                    connections.close_all()

            thread = threading.Thread(target=rival)
            thread.start()
            thread.join(timeout=30)
        return create(**kwargs)

    monkeypatch.setattr(course_services, "_session_create", other_patient_books_first)
    outcome = course_book(
        appointment=first,
        every_weeks=1,
        planned=4,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )

    assert len(raced) == 1 and raced[0].starts_at == third
    assert [a.starts_at for a in outcome.booked] == [rows[0].start, rows[1].start, rows[3].start]
    [taken] = outcome.taken
    assert (taken.number, taken.state) == (3, SessionState.TAKEN)
    assert third not in [slot.start for slot in taken.alternatives]
    assert Appointment.objects.filter(course=outcome.course).count() == 4  # with the first
    course = Course.objects.get(pk=outcome.course.pk)
    assert (course.sessions_planned, course.sessions_booked) == (4, 3)
    assert Appointment.objects.filter(starts_at=third).count() == 1
    assert Appointment.objects.get(starts_at=third).patient.email == "rival@example.com"
    assert first.starts_at + dt.timedelta(weeks=3) == third
