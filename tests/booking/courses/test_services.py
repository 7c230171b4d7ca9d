"""Booking and cancelling a course (booking/courses/services.py), on SQLite and PostgreSQL."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from booking import services, tasks
from booking.contracts import RuleOverride
from booking.courses.plan import SessionState
from booking.courses.selectors import Scope, course_intake_get, course_preview
from booking.courses.services import SessionChoice, course_book, course_cancel
from booking.models import Appointment, AppointmentStatus, BookingPolicy, Intake
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details
from tests.factories.staff import staff_member

MONDAY = next_weekday(0)


def choices_from(rows):
    """Every free row at its own time, every other one skipped: what "Book" on an untouched
    preview sends."""
    return [SessionChoice(row.number, row.start if row.is_free else None) for row in rows]


def confirm(anchor, rows, **kwargs):
    return course_book(
        appointment=anchor,
        every_weeks=kwargs.pop("every_weeks", 1),
        planned=len(rows),
        choices=kwargs.pop("choices", None) or choices_from(rows),
        **kwargs,
    )


@pytest.mark.django_db
def test_a_weekly_course_books_every_free_date_as_an_ordinary_appointment(
    django_capture_on_commit_callbacks,
):
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=1, count=4, now=timezone.now())
    assert [row.state for row in rows] == [SessionState.FREE] * 4
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = confirm(anchor, rows)

    sessions = list(Appointment.objects.filter(course=outcome.course).order_by("starts_at"))
    assert sessions[0] == anchor
    assert [s.starts_at for s in sessions[1:]] == [
        local(MONDAY + dt.timedelta(weeks=k), 10) for k in range(1, 5)
    ]
    assert {s.practitioner_id for s in sessions} == {anchor.practitioner_id}
    assert {s.service_id for s in sessions} == {anchor.service_id}
    assert len({s.public_id for s in sessions}) == 5  # a manage link and calendar UID each
    course = outcome.course
    assert (course.sessions_planned, course.sessions_booked, course.every_weeks) == (4, 4, 1)
    assert course.summary == "4 of 4 booked, every week"
    # Each session has its own confirmation with its own calendar file, and the practitioner
    # hears of each.
    to_patient = [m for m in mail.outbox if anchor.patient.email in m.to]
    assert len(to_patient) == 4
    uids = set()
    for message in to_patient:
        [ics] = [a for a in message.attachments if a[0].endswith(".ics")]
        uids.update(line for line in ics[1].splitlines() if line.startswith("UID:"))
    assert len(uids) == 4
    # The practitioner gets one notice for the course, listing its four dates.
    [to_practitioner] = [m for m in mail.outbox if anchor.patient.email not in m.to]
    assert to_practitioner.subject.endswith("New course booked")
    assert to_practitioner.body.count("\n- ") == 4


@pytest.mark.django_db
def test_the_intake_is_answered_once_and_its_rules_apply_at_each_sessions_age():
    # 50 between the second and the third session: from then on recent pain is flagged.
    third = MONDAY + dt.timedelta(weeks=3)
    born = dt.date(third.year - 50, third.month, third.day) - dt.timedelta(days=3)
    anchor = book(
        start=local(MONDAY, 10),
        patient=details(date_of_birth=born),
        intake=answers(pain_duration="under_6_weeks"),
    )
    rows = course_preview(appointment=anchor, every_weeks=1, count=3, now=timezone.now())
    outcome = confirm(anchor, rows)

    assert Intake.objects.filter(appointment__course=outcome.course).count() == 1
    flags = [a.flags for a in outcome.booked]
    assert flags == [[], [], ["age_50_recent_pain"]]
    assert all(a.screened for a in outcome.booked)
    assert course_intake_get(appointment=outcome.booked[1]).appointment == anchor


@pytest.mark.django_db
def test_answers_that_rule_a_later_session_out_book_nothing():
    # A small fall is a warning sign from 65 on: the course reaches past that birthday.
    last = MONDAY + dt.timedelta(weeks=4)
    born = dt.date(last.year - 65, last.month, last.day) - dt.timedelta(days=1)
    anchor = book(
        start=local(MONDAY, 10),
        patient=details(date_of_birth=born),
        intake=answers(red_minor_fall="yes"),
    )
    rows = course_preview(appointment=anchor, every_weeks=2, count=2, now=timezone.now())

    with pytest.raises(services.BookingError, match="doctor"):
        confirm(anchor, rows, every_weeks=2)
    assert Appointment.objects.count() == 1
    anchor.refresh_from_db()
    assert anchor.course is None


@pytest.mark.django_db
def test_a_course_of_electroacupuncture_cannot_be_booked_for_someone_it_is_ruled_out_for():
    patient = details()
    book(start=local(MONDAY, 9), patient=patient, intake=answers(screen_implant="yes"))
    overridden = book(
        start=local(MONDAY, 14),
        service="electroacupuncture",
        patient=patient,
        intake=None,
        by_staff=True,
        override=RuleOverride(user=staff_member("dr"), reason="Device removed last month."),
    )
    rows = course_preview(appointment=overridden, every_weeks=1, count=3, now=timezone.now())

    with pytest.raises(services.BookingError, match="electrical"):
        confirm(overridden, rows, by_staff=True)
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_a_date_taken_between_preview_and_confirm_is_left_unbooked_and_said_so():
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=1, count=4, now=timezone.now())
    someone = book(start=local(MONDAY + dt.timedelta(weeks=2), 10, 30))

    outcome = confirm(anchor, rows)

    assert [a.starts_at for a in outcome.booked] == [
        rows[0].start,
        rows[2].start,
        rows[3].start,
    ]
    [taken] = outcome.taken
    assert (taken.number, taken.state) == (2, SessionState.TAKEN)
    assert taken.alternatives
    for slot in taken.alternatives:
        assert slot.end + dt.timedelta(minutes=10) <= someone.starts_at or (
            slot.start >= someone.blocked_until
        )
    assert (outcome.course.sessions_planned, outcome.course.sessions_booked) == (4, 3)

    # The taken row booked at one of its alternatives, into the same course.
    again = course_book(
        appointment=anchor,
        every_weeks=1,
        planned=0,
        choices=[SessionChoice(2, taken.alternatives[0].start)],
    )
    assert again.course == outcome.course
    assert (again.course.sessions_planned, again.course.sessions_booked) == (4, 4)


@pytest.mark.django_db
def test_skipped_dates_count_as_planned_but_not_booked():
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=2, count=3, now=timezone.now())
    choices = [SessionChoice(1, rows[0].start), SessionChoice(2, None), SessionChoice(3, None)]
    outcome = confirm(anchor, rows, every_weeks=2, choices=choices)
    assert outcome.course.summary == "1 of 3 booked, every 2 weeks"


@pytest.mark.django_db
def test_a_confirm_sent_twice_books_each_session_once():
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=1, count=3, now=timezone.now())
    key = uuid.uuid4()
    first = confirm(anchor, rows, idempotency_key=key)
    second = confirm(anchor, rows, idempotency_key=key)

    assert second.repeated
    assert {a.pk for a in second.booked} == {a.pk for a in first.booked}
    assert Appointment.objects.count() == 4
    first.course.refresh_from_db()
    assert first.course.sessions_planned == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("every", "count"), [(5, 2), (0, 2), (1, 11)], ids=["five weeks", "zero", "too many"]
)
def test_requests_out_of_bounds_are_refused_plainly(every, count):
    anchor = book(start=local(MONDAY, 10))
    choices = [SessionChoice(n, None) for n in range(1, count + 1)]
    with pytest.raises(services.BookingError):
        course_book(appointment=anchor, every_weeks=every, planned=count, choices=choices)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_cancelled_appointment_starts_no_course():
    anchor = book(start=local(MONDAY, 10))
    services.appointment_cancel(appointment=anchor)
    with pytest.raises(services.BookingError, match="no longer active"):
        course_book(
            appointment=anchor,
            every_weeks=1,
            planned=1,
            choices=[SessionChoice(1, local(MONDAY + dt.timedelta(weeks=1), 10))],
        )


def _course_of(count, every=1):
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=every, count=count, now=timezone.now())
    outcome = confirm(anchor, rows, every_weeks=every)
    return [anchor, *outcome.booked]


@pytest.mark.django_db
def test_cancel_this_and_the_following_leaves_the_earlier_sessions():
    sessions = _course_of(4)
    outcome = course_cancel(appointment=sessions[2], scope=Scope.FOLLOWING)

    assert [a.pk for a in outcome.cancelled] == [a.pk for a in sessions[2:]]
    statuses = [a.status for a in Appointment.objects.order_by("starts_at")]
    assert statuses == [AppointmentStatus.CONFIRMED] * 2 + [AppointmentStatus.CANCELLED] * 3


@pytest.mark.django_db
def test_sessions_cancelled_together_send_the_patient_one_email_listing_them(
    django_capture_on_commit_callbacks,
):
    sessions = _course_of(4)
    patient = sessions[0].patient
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        course_cancel(appointment=sessions[2], scope=Scope.FOLLOWING)

    [to_patient] = [m for m in mail.outbox if patient.email in m.to]
    assert to_patient.subject.endswith("Your sessions are cancelled")
    tz = timezone.get_default_timezone()
    for session in sessions[2:]:
        assert f"{session.starts_at.astimezone(tz):%A, %B} {session.starts_at.day}," in (
            to_patient.body
        )
    for session in sessions[:2]:
        assert f"{session.starts_at.astimezone(tz):%B} {session.starts_at.day}," not in (
            to_patient.body
        )
    files = [a for a in to_patient.attachments if a[0].endswith(".ics")]
    assert len(files) == 3
    assert all("METHOD:CANCEL" in content and "method=CANCEL" in kind for _, content, kind in files)
    uids = {line for _, ics, _ in files for line in ics.splitlines() if line.startswith("UID")}
    assert len(uids) == 3  # each file takes out its own session
    # The practitioner gets one notice listing the three, as the patient does.
    [notice] = [m for m in mail.outbox if patient.email not in m.to]
    assert notice.subject.endswith("Course sessions cancelled")
    assert notice.body.count("\n- ") == 3


@pytest.mark.django_db
def test_a_cancelled_course_no_longer_reads_as_booked():
    sessions = _course_of(4)
    course = sessions[0].course
    course.refresh_from_db()
    assert course.summary.startswith("4 of 4 booked")
    course_cancel(appointment=sessions[0], scope=Scope.COURSE, by_staff=True)
    course.refresh_from_db()
    assert course.summary.startswith("0 of 4 booked")


@pytest.mark.django_db
def test_one_session_cancelled_on_its_own_is_taken_off_the_count():
    """Cancelled by itself (its own manage link, or staff), a session no longer counts; the
    first visit the course was asked from was never counted."""
    sessions = _course_of(4)
    course = sessions[0].course
    services.appointment_cancel(appointment=sessions[2], by_staff=True)
    course.refresh_from_db()
    assert course.summary.startswith("3 of 4 booked")
    services.appointment_cancel(appointment=sessions[0], by_staff=True)
    course.refresh_from_db()
    assert course.summary.startswith("3 of 4 booked")


@pytest.mark.django_db
def test_a_course_from_a_first_visit_goes_on_with_the_follow_up():
    anchor = book(start=local(MONDAY, 10), service="new-patient-visit")
    rows = course_preview(appointment=anchor, every_weeks=1, count=2, now=timezone.now())
    outcome = confirm(anchor, rows)
    later = Appointment.objects.filter(course=outcome.course).exclude(pk=anchor.pk)
    assert {a.service.slug for a in later} == {"follow-up-treatment"}
    assert outcome.course.service.slug == "follow-up-treatment"
    follow_up = later.first().service
    assert all(
        a.ends_at - a.starts_at == dt.timedelta(minutes=follow_up.duration_minutes) for a in later
    )


@pytest.mark.django_db
def test_one_session_cancelled_from_a_course_gets_the_ordinary_email(
    django_capture_on_commit_callbacks,
):
    sessions = _course_of(2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        course_cancel(appointment=sessions[2], scope=Scope.FOLLOWING)

    [to_patient] = [m for m in mail.outbox if sessions[0].patient.email in m.to]
    assert to_patient.subject.endswith("Your appointment is cancelled")


@pytest.mark.django_db
def test_the_course_cancellation_email_leaves_out_a_session_changed_since():
    sessions = _course_of(2)
    outcome = course_cancel(appointment=sessions[0], scope=Scope.COURSE)
    ids = [a.pk for a in outcome.cancelled]
    sequences = [a.sequence for a in outcome.cancelled]
    Appointment.objects.filter(pk=ids[0]).update(sequence=sequences[0] + 1)
    mail.outbox.clear()

    sent = tasks.send_course_cancelled_email.call(appointment_ids=ids, sequences=sequences)
    assert sent == "sent"
    [message] = mail.outbox
    assert len([a for a in message.attachments if a[0].endswith(".ics")]) == 2
    Appointment.objects.filter(pk__in=ids).update(status=AppointmentStatus.CONFIRMED)
    assert (
        tasks.send_course_cancelled_email.call(appointment_ids=ids, sequences=sequences)
        == "superseded"
    )


@pytest.mark.django_db
def test_cancel_the_whole_course_keeps_sessions_too_late_to_cancel_online():
    sessions = _course_of(3)
    with time_machine.travel(sessions[0].starts_at - dt.timedelta(hours=2), tick=False):
        outcome = course_cancel(appointment=sessions[2], scope=Scope.COURSE)

    assert outcome.too_late == [sessions[0]]
    assert [a.pk for a in outcome.cancelled] == [a.pk for a in sessions[1:]]
    sessions[0].refresh_from_db()
    assert sessions[0].status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_staff_cancel_the_whole_course_even_inside_the_window():
    sessions = _course_of(2)
    with time_machine.travel(sessions[0].starts_at - dt.timedelta(hours=2), tick=False):
        outcome = course_cancel(appointment=sessions[0], scope=Scope.COURSE, by_staff=True)
    assert len(outcome.cancelled) == 3


@pytest.mark.django_db
def test_staff_may_book_a_course_inside_the_minimum_notice():
    anchor = book(start=local(MONDAY, 10))
    first = local(MONDAY + dt.timedelta(weeks=1), 10)
    with time_machine.travel(first - dt.timedelta(hours=3), tick=False):
        now = timezone.now()
        online = course_preview(appointment=anchor, every_weeks=1, count=2, now=now)
        staff = course_preview(appointment=anchor, every_weeks=1, count=2, now=now, by_staff=True)
    assert online[0].state is SessionState.TOO_SOON
    assert staff[0].state is SessionState.FREE


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
def test_a_weekly_course_across_both_clock_changes_keeps_its_local_time(settings, zone):
    settings.TIME_ZONE = zone
    tz = timezone.get_default_timezone()
    policy = BookingPolicy.load()
    policy.booking_horizon_days = 400
    policy.save()
    # Mondays from early March to mid-November 2027 in that zone: both changes inside.
    first = dt.datetime(2027, 3, 1, 10, tzinfo=tz)
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=tz), tick=False):
        anchor = book(start=first)
        rows = course_preview(appointment=anchor, every_weeks=4, count=9, now=timezone.now())
        outcome = confirm(anchor, rows, every_weeks=4)

    assert len(outcome.booked) == 9
    assert {a.starts_at.astimezone(tz).time() for a in outcome.booked} == {dt.time(10)}
    assert {a.starts_at.astimezone(tz).weekday() for a in outcome.booked} == {0}
    offsets = {a.starts_at.astimezone(tz).utcoffset() for a in outcome.booked}
    assert len(offsets) == 2  # summer and winter time both crossed
