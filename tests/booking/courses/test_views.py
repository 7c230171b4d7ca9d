"""The course pages from the manage link (which is also the booking's confirmation page)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Appointment, AppointmentStatus, Course
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token

MONDAY = next_weekday(0)
WEEK = dt.timedelta(weeks=1)


@pytest.fixture
def appointment():
    return book(start=local(MONDAY, 10))


def url(appointment, name="booking:more_sessions"):
    return reverse(name, args=[manage_token(appointment)])


def form_of(page) -> dict:
    """What the preview's form sends as it stands (hidden fields and checked radios)."""
    form = page.find("form", class_="course-preview")
    data = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    data.update(
        {
            i["name"]: i["value"]
            for i in form.find_all("input", type="radio")
            if i.has_attr("checked")
        }
    )
    return data


@pytest.mark.django_db
def test_the_manage_page_offers_more_sessions_and_the_form_asks_how_many_and_how_often(
    client, soup, appointment, django_assert_num_queries
):
    manage = soup(client.get(url(appointment, "booking:manage")))
    assert manage.find("a", href=url(appointment)).get_text() == "Book more sessions"

    client.get(url(appointment))
    # The appointment, then the active services, the practitioners and the booking policy.
    with django_assert_num_queries(4):
        page = soup(client.get(url(appointment)))
    assert page.find("label", attrs={"for": "id_count"}).get_text() == "How many more sessions?"
    assert [o["value"] for o in page.find("select", id="id_count").find_all("option")] == [
        str(n) for n in range(1, 11)
    ]
    assert len(page.find_all("input", attrs={"name": "every"})) == 4


@pytest.mark.django_db
def test_the_preview_shows_a_row_a_date_with_taken_ones_offering_nearby_times(
    client, soup, appointment, django_assert_num_queries
):
    book(start=local(MONDAY + 2 * WEEK, 10, 30))  # someone else, the second date
    client.get(url(appointment), {"count": 4, "every": 1})
    # + services, practitioners, policy, hours, bookings, time off, busy times, policy again
    with django_assert_num_queries(9):
        response = client.get(url(appointment), {"count": 4, "every": 1})
    page = soup(response)
    text = page.get_text(" ")
    assert "3 of 4 dates are free." in text
    legends = [
        f.legend.get_text(" ", strip=True) for f in page.find_all("fieldset", class_="course-row")
    ]
    assert len(legends) == 4
    assert "(taken)" in legends[1] and "(free)" in legends[0]
    taken_row = page.find_all("fieldset", class_="course-row")[1]
    radios = taken_row.find_all("input", type="radio")
    assert 2 <= len(radios) <= 4 and radios[-1]["value"] == "skip"
    assert radios[-1].has_attr("checked")  # nothing is booked there unless picked
    assert Appointment.objects.count() == 2  # the preview books nothing


@pytest.mark.django_db
def test_confirming_with_an_alternative_picked_books_and_says_how_many(
    client, soup, appointment, django_capture_on_commit_callbacks
):
    book(start=local(MONDAY + 2 * WEEK, 10, 30))
    page = soup(client.get(url(appointment), {"count": 4, "every": 1}))
    data = form_of(page)
    alternative = page.find_all("fieldset", class_="course-row")[1].find_all("input")[0]["value"]
    data["session-2"] = alternative
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(appointment) + "?count=4&every=1", data)

    assert response.status_code == 302
    manage = soup(client.get(response["Location"]))
    text = manage.get_text(" ")
    assert "4 of 4 sessions booked." in text
    assert "Your course" in text
    course = Course.objects.get()
    assert course.appointments.count() == 5
    assert len(manage.select(".course__sessions li")) == 5
    assert len([m for m in mail.outbox if appointment.patient.email in m.to]) == 4


@pytest.mark.django_db
def test_a_date_taken_after_the_preview_comes_back_in_its_state_now(client, soup, appointment):
    page = soup(client.get(url(appointment), {"count": 3, "every": 2}))
    data = form_of(page)
    book(start=local(MONDAY + 4 * WEEK, 9, 45))  # the second date, meanwhile

    response = client.post(url(appointment) + "?count=3&every=2", data)

    assert response.status_code == 409
    again = soup(response)
    text = again.get_text(" ")
    assert "2 of 3 sessions booked." in text and "This date was taken a moment ago" in text
    [row] = again.find_all("fieldset", class_="course-row")
    assert "Session 2" in row.legend.get_text() and "(taken)" in row.legend.get_text()
    assert Appointment.objects.filter(course__isnull=False).count() == 3

    # Picking a nearby time books it into the same course.
    retry = form_of(again)
    retry["session-2"] = row.find_all("input")[0]["value"]
    assert client.post(url(appointment) + "?count=3&every=2", retry).status_code == 302
    course = Course.objects.get()
    assert (course.sessions_planned, course.sessions_booked) == (3, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tampered",
    [
        {"every": "9"},
        {"rows": ""},
        {"session-1": "not a time"},
        {"planned": "-1"},
        {"planned": "99"},
        {"idempotency_key": "x"},
    ],
)
def test_a_tampered_confirm_gets_a_clear_message_and_books_nothing(
    client, soup, appointment, tampered
):
    data = form_of(soup(client.get(url(appointment), {"count": 2, "every": 1})))
    data.update(tampered)
    response = client.post(url(appointment) + "?count=2&every=1", data)
    if tampered == {"idempotency_key": "x"}:
        assert response.status_code == 302  # a missing key only loses the double-click guard
        return
    assert response.status_code == 400
    assert soup(response).find(class_="error-summary")
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"count": "11", "every": "1"}, {"count": "2", "every": "7"}, {"count": "x"}]
)
def test_a_preview_out_of_bounds_shows_the_form_again(client, soup, appointment, query):
    response = client.get(url(appointment), query)
    assert response.status_code == 200
    assert soup(response).find(class_="invalid-feedback")


def _course(client, soup, appointment, count=4):
    data = form_of(soup(client.get(url(appointment), {"count": count, "every": 1})))
    client.post(url(appointment) + f"?count={count}&every=1", data)
    return list(Appointment.objects.order_by("starts_at"))


@pytest.mark.django_db
def test_cancel_this_and_the_following_from_one_sessions_link(
    client, soup, appointment, django_assert_num_queries, django_capture_on_commit_callbacks
):
    sessions = _course(client, soup, appointment)
    third = sessions[2]
    manage = soup(client.get(url(third, "booking:manage")))
    assert manage.find("input", id="scope-following")

    with django_assert_num_queries(6):  # the sessions, and the catalogue and policy they name
        page = soup(client.get(url(third, "booking:cancel_sessions"), {"scope": "following"}))
    assert len(page.select("main li, .container li")) >= 3
    assert "one email listing the sessions" in page.get_text()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(third, "booking:cancel_sessions"), {"scope": "following"})
    assert response.status_code == 302
    assert "3 cancelled." in soup(client.get(response["Location"])).get_text()
    assert len([m for m in mail.outbox if appointment.patient.email in m.to]) == 1
    statuses = [a.status for a in Appointment.objects.order_by("starts_at")]
    assert statuses == [AppointmentStatus.CONFIRMED] * 2 + [AppointmentStatus.CANCELLED] * 3


@pytest.mark.django_db
def test_an_unknown_scope_or_a_lone_appointment_goes_back_to_the_manage_page(client, appointment):
    assert (
        client.get(url(appointment, "booking:cancel_sessions"), {"scope": "course"}).status_code
        == 302
    )
    sessions = _course(client, None, appointment) if False else None
    assert sessions is None


@pytest.mark.django_db
def test_the_manage_page_of_a_course_session_costs_a_fixed_number_of_queries(
    client, soup, appointment, django_assert_max_num_queries
):
    sessions = _course(client, soup, appointment, count=6)
    client.get(url(sessions[3], "booking:manage"))
    # 8: the appointment behind the link (with its patient, practitioner and service), the
    # booking policy (read once, passed to the change window and the PEG question), the
    # course's other sessions, one insert of their manage links (a fresh secret each, only
    # hashes kept), the course, then the site, the practice settings and the page for the
    # layout.
    with django_assert_max_num_queries(8):
        client.get(url(sessions[3], "booking:manage"))
