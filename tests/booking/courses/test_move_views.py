"""Moving sessions of a course from the manage link, and booking more sessions after the
visit has passed (booking/views/manage.py, booking/views/course.py)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from booking.courses.selectors import course_preview
from booking.courses.services import SessionChoice, course_book
from booking.models import Appointment, AppointmentStatus
from booking.views.picker import encode_slot_choice
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token

MONDAY = next_weekday(0)
WEEK = dt.timedelta(weeks=1)
TUESDAY_TWO = local(MONDAY + dt.timedelta(days=1), 14)


def url(appointment, name):
    return reverse(name, args=[manage_token(appointment)])


def course_of(count):
    anchor = book(start=local(MONDAY, 10))
    rows = course_preview(appointment=anchor, every_weeks=1, count=count, now=timezone.now())
    outcome = course_book(
        appointment=anchor,
        every_weeks=1,
        planned=count,
        choices=[SessionChoice(row.number, row.start) for row in rows],
    )
    return [anchor, *outcome.booked]


def slot(start, appointment):
    return encode_slot_choice(start, appointment.practitioner_id)


def starts():
    return list(
        Appointment.objects.filter(status=AppointmentStatus.CONFIRMED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )


@pytest.mark.django_db
def test_the_move_page_of_a_course_session_offers_the_three_scopes(client, soup):
    sessions = course_of(2)
    page = soup(client.get(url(sessions[0], "booking:reschedule")))
    scopes = [i["value"] for i in page.find_all("input", attrs={"name": "scope"})]
    assert scopes == ["this", "following", "course"]
    assert page.find("input", id="move-scope-this").has_attr("checked")

    single = book(start=local(MONDAY, 15))
    page = soup(client.get(url(single, "booking:reschedule")))
    assert not page.find_all("input", attrs={"name": "scope"})


@pytest.mark.django_db
def test_moving_the_whole_course_moves_every_session_and_says_so(client, soup):
    sessions = course_of(2)
    response = client.post(
        url(sessions[0], "booking:reschedule"),
        {"slot": slot(TUESDAY_TWO, sessions[0]), "scope": "course"},
    )
    assert response.status_code == 302
    assert starts() == [TUESDAY_TWO + WEEK * k for k in range(3)]
    told = soup(client.get(response["Location"]))
    assert "3 sessions moved." in told.select_one('[role="status"]').get_text()


@pytest.mark.django_db
def test_moving_only_this_session_leaves_the_others(client):
    sessions = course_of(2)
    client.post(
        url(sessions[1], "booking:reschedule"),
        {"slot": slot(TUESDAY_TWO + WEEK, sessions[1]), "scope": "this"},
    )
    assert starts() == [sessions[0].starts_at, TUESDAY_TWO + WEEK, sessions[2].starts_at]


@pytest.mark.django_db
def test_a_session_that_cannot_move_is_listed_and_the_others_move_on_request(client, soup):
    sessions = course_of(2)
    book(start=TUESDAY_TWO + 2 * WEEK)  # someone else, where the third would go
    before = starts()

    response = client.post(
        url(sessions[0], "booking:reschedule"),
        {"slot": slot(TUESDAY_TWO, sessions[0]), "scope": "following"},
    )

    assert response.status_code == 409
    assert starts()[:1] + starts()[2:] == before[:1] + before[2:]  # nothing moved
    page = soup(response)
    rows = [li.get_text(" ", strip=True) for li in page.select("li.course-move__row")]
    assert len(rows) == 3
    assert "can move" in rows[0] and "can move" in rows[1]
    assert "cannot move , taken" in rows[2] or "cannot move, taken" in rows[2]
    form = page.find("form", action=url(sessions[0], "booking:move_sessions"))
    data = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert form.button.get_text() == "Move the 2 that can"
    assert page.find("a", href=url(sessions[0], "booking:reschedule"))

    response = client.post(url(sessions[0], "booking:move_sessions"), data)
    assert response.status_code == 302
    moved = Appointment.objects.filter(pk__in=[s.pk for s in sessions]).order_by("pk")
    assert [m.starts_at for m in moved] == [TUESDAY_TWO, TUESDAY_TWO + WEEK, sessions[2].starts_at]
    told = soup(client.get(response["Location"]))
    assert "2 sessions moved." in told.select_one('[role="status"]').get_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"slot": "nonsense", "scope": "course", "sessions": "abc"},
        {"slot": "2027-01-01T10:00:00+00:00|1", "scope": "bogus", "sessions": ""},
        {"slot": "2027-01-01T10:00:00+00:00|1", "scope": "course", "sessions": "zz,,," * 40},
    ],
)
def test_bad_input_to_move_sessions_is_a_redirect_not_an_error(client, data):
    sessions = course_of(1)
    before = starts()
    response = client.post(url(sessions[0], "booking:move_sessions"), data)
    assert response.status_code == 302
    assert starts() == before


@pytest.mark.django_db
def test_after_the_visit_the_link_opens_only_to_book_more_sessions(client, soup, settings):
    settings.COURSE_REQUEST_DAYS_AFTER = 30
    visit = book(start=local(MONDAY, 10))
    with time_machine.travel(visit.ends_at + dt.timedelta(days=10)):
        page = soup(client.get(url(visit, "booking:manage")))
        assert "This visit has passed" in page.get_text()
        assert page.find("a", href=url(visit, "booking:more_sessions"))
        assert not page.find("a", href=url(visit, "booking:reschedule"))
        assert not page.find("a", href=url(visit, "booking:cancel"))
        for closed in ("booking:reschedule", "booking:cancel", "booking:cancel_sessions"):
            assert client.get(url(visit, closed)).status_code == 404
        assert client.post(url(visit, "booking:move_sessions")).status_code == 404

        preview = soup(client.get(url(visit, "booking:more_sessions"), {"count": 3, "every": 1}))
        times = [
            dt.datetime.fromisoformat(i["value"].split("|")[0])
            for i in preview.select("fieldset.course-row input[type=radio]")
            if i["value"] != "skip"
        ]
        # From the coming weeks on, at the visit's weekday and time.
        assert times == [local(MONDAY + WEEK * k, 10) for k in (2, 3, 4)]
    with time_machine.travel(visit.ends_at + dt.timedelta(days=31)):
        assert client.get(url(visit, "booking:manage")).status_code == 404
        assert client.get(url(visit, "booking:more_sessions")).status_code == 404


@pytest.mark.django_db
def test_a_course_can_be_booked_from_a_completed_visit_but_not_a_no_show(client):
    visit = book(start=local(MONDAY, 10))
    with time_machine.travel(visit.ends_at + dt.timedelta(days=3)):
        rows = course_preview(appointment=visit, every_weeks=1, count=2, now=timezone.now())
        visit.status = AppointmentStatus.COMPLETED
        visit.save()
        outcome = course_book(
            appointment=visit,
            every_weeks=1,
            planned=2,
            choices=[SessionChoice(row.number, row.start) for row in rows],
        )
        assert [a.starts_at for a in outcome.booked] == [
            local(MONDAY + WEEK * k, 10) for k in (1, 2)
        ]
        visit.status = AppointmentStatus.NO_SHOW
        visit.save()
        assert client.get(url(visit, "booking:more_sessions")).status_code == 302
