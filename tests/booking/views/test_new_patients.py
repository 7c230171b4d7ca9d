"""A patient never seen is offered only the sessions and practitioners open to new patients:
online (the choice, the time, the booking itself), the course and the waiting list. The
phone booking's side is in tests/booking/staff/test_new_patients_by_phone.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.contracts import SlotTaken
from booking.models import Appointment, AppointmentStatus, Course, Service, WaitlistEntry
from booking.waitlist.selectors import entry_list_waiting
from tests.booking.walk import (
    CONSENT,
    confirm,
    details_data,
    draft_of,
    first_slot,
    intake_data,
    later_week,
    prove_email,
    seed,
    slot_value,
)
from tests.clock import local, next_weekday
from tests.factories.bookings import ANYONE, answers, book, details, manage_token, seen, seen_before
from tests.factories.practice import practitioner

pytestmark = pytest.mark.django_db

BORN = dt.date(1980, 5, 1)


@pytest.fixture
def returning_only(practice):
    """As the demo has it: the follow-ups, and Omar, for patients seen before; Omar also
    gives the new patient visit here, so that his own refusal can be seen."""
    Service.objects.filter(slug__in=["follow-up-treatment", "electroacupuncture"]).update(
        open_to_new_patients=False
    )
    omar = practitioner("omar-haddad")
    omar.takes_new_patients = False
    omar.save()
    omar.services.add(Service.objects.get(slug="new-patient-visit"))
    return omar


def _service(slug: str) -> Service:
    return Service.objects.get(slug=slug)


def _labels(page, field: str) -> list[str]:
    return [label.get_text(" ", strip=True) for label in page.select(f"#div_id_{field} label")]


def test_a_visitor_not_known_yet_sees_which_sessions_are_for_returning_patients(
    client, soup, returning_only
):
    page = soup(client.get("/book/"))
    services = _labels(page, "service")
    assert any(s.startswith("New patient visit") and "returning" not in s for s in services)
    assert any(
        s.startswith("Follow-up treatment") and "(returning patients)" in s for s in services
    )
    assert "Omar Haddad (returning patients)" in _labels(page, "practitioner")


def test_a_new_visitor_who_chose_a_follow_up_chooses_again_with_their_details_kept(
    client, soup, returning_only
):
    client.post("/book/", {"service": _service("follow-up-treatment").pk, "practitioner": ""})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    response = client.post("/book/details/", details_data())
    assert response["Location"] == "/book/"
    page = soup(client.get("/book/"))
    text = page.get_text(" ")
    assert "“Follow-up treatment” is for patients we have seen before" in text
    assert "Sessions for returning patients are not shown" in text
    assert [s.split(" —")[0] for s in _labels(page, "service")] == ["New patient visit"]
    assert not any("Omar" in p for p in _labels(page, "practitioner"))
    draft = draft_of(client)
    assert draft.details["email"] == "ada@example.com" and draft.start is None
    assert Appointment.objects.count() == 0
    # The first visit then books as ever, the details already typed.
    client.post("/book/", {"service": _service("new-patient-visit").pk, "practitioner": ""})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    assert client.post("/book/details/", details_data())["Location"] == "/book/health-questions/"
    assert client.post("/book/health-questions/", intake_data())["Location"] == "/book/review/"
    confirm(client)
    assert Appointment.objects.get().service.slug == "new-patient-visit"


def test_been_here_before_shows_every_session_again(client, soup, returning_only):
    seed(client, service_id=None, details=details_data(), intake_kind="new")
    assert "Sessions for returning patients" in soup(client.get("/book/")).get_text(" ")
    assert client.post("/book/", {"been_before": "1"})["Location"] == "/book/"
    page = soup(client.get("/book/"))
    assert "Sessions for returning patients" not in page.get_text(" ")
    assert any(s.startswith("Follow-up treatment") for s in _labels(page, "service"))


def test_a_new_visitor_who_chose_a_practitioner_for_returning_patients_chooses_again(
    client, soup, returning_only
):
    visit = _service("new-patient-visit")
    client.post("/book/", {"service": visit.pk, "practitioner": returning_only.pk})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    assert client.post("/book/details/", details_data())["Location"] == "/book/"
    text = soup(client.get("/book/")).get_text(" ")
    assert "Omar Haddad sees patients after their first visit with another" in text
    draft = draft_of(client)
    assert draft.service_id == visit.pk and draft.practitioner_id is None


def test_a_new_visitor_given_a_returning_patients_practitioner_at_first_available_picks_again(
    client, soup, returning_only
):
    client.post("/book/", {"service": _service("new-patient-visit").pk, "practitioner": ""})
    saturday = local(next_weekday(5), 9)  # only Omar works on Saturdays
    assert (
        client.post("/book/time/", {"slot": slot_value(saturday, returning_only.pk)}).status_code
        == 302
    )
    assert client.post("/book/details/", details_data())["Location"] == "/book/time/"
    text = soup(client.get("/book/time/")).get_text(" ")
    assert "The time you chose was with them" in text
    assert draft_of(client).start is None
    # Sent back, they are offered no time of his, and his Saturday cannot be sent again.
    saturday_week = client.get(f"/book/time/?week={next_weekday(0).isoformat()}&day=5")
    assert f"|{returning_only.pk}" not in saturday_week.content.decode()
    assert "|" in first_slot(saturday_week)  # the others' times are there
    again = client.post("/book/time/", {"slot": slot_value(saturday, returning_only.pk)})
    assert again.status_code == 400 and draft_of(client).start is None


def test_the_booking_itself_refuses_a_follow_up_for_a_new_visitor(client, soup, returning_only):
    """Whatever the steps let through, the booking service says no and books nothing."""
    seed(
        client,
        service_id=_service("follow-up-treatment").pk,
        start=local(next_weekday(0), 9).isoformat(),
        slot_practitioner_id=practitioner().pk,
        details=details_data(),
        intake_kind="new",
        intake={"pain_score": 5, "answers": answers().answers},
    )
    response = client.post(
        "/book/review/", {"idempotency_key": str(draft_of(client).idempotency_key), **CONSENT}
    )
    assert response.status_code == 400
    assert "is for patients we have seen before" in soup(response).get_text(" ")
    assert Appointment.objects.count() == 0


def test_the_nearest_times_offered_to_a_new_patient_are_with_those_who_see_them(returning_only):
    """Saturday is Omar's alone: a new patient asking for it with anyone is told it is
    taken, and offered the nearest times of the others, never his."""
    saturday = local(next_weekday(5), 9)
    with pytest.raises(SlotTaken) as taken:
        book(start=saturday, service="new-patient-visit", who=ANYONE)
    assert taken.value.alternatives
    assert {slot.practitioner_id for slot in taken.value.alternatives}.isdisjoint(
        {returning_only.pk}
    )


def test_a_returning_patient_books_a_follow_up_with_omar(client, returning_only):
    seen(
        book(
            start=local(next_weekday(0), 9),
            service="new-patient-visit",
            patient=details(email="ada@example.com", date_of_birth=BORN),
        )
    )
    client.post(
        "/book/", {"service": _service("follow-up-treatment").pk, "practitioner": returning_only.pk}
    )
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    assert prove_email(client, details_data())["Location"] == "/book/health-questions/"
    answered = client.post("/book/health-questions/", intake_data(returning=True))
    assert answered["Location"] == "/book/review/"
    confirm(client)
    booked = Appointment.objects.get(practitioner=returning_only)
    assert booked.service.slug == "follow-up-treatment"


def test_a_proven_address_with_only_a_visit_to_come_is_still_a_new_patient(client, returning_only):
    book(
        start=local(next_weekday(0), 9),
        service="new-patient-visit",
        patient=details(email="ada@example.com", date_of_birth=BORN),
    )
    client.post("/book/", {"service": _service("follow-up-treatment").pk, "practitioner": ""})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    assert prove_email(client, details_data())["Location"] == "/book/"


def test_a_new_visitor_cannot_join_the_waiting_list_for_a_follow_up(client, returning_only):
    client.get(reverse("booking:start") + "?service=follow-up-treatment")
    monday = next_weekday(0)
    wish = {"earliest": monday.isoformat(), "latest": (monday + dt.timedelta(days=4)).isoformat()}
    assert client.post(reverse("booking:waitlist_join"), wish)["Location"] == "/book/details/"
    assert client.post("/book/details/", details_data())["Location"] == "/book/"
    assert draft_of(client).waitlist == {}
    assert WaitlistEntry.objects.count() == 0


def test_a_freed_time_with_omar_goes_to_returning_patients_only(returning_only):
    from booking.waitlist import services as waitlist_services

    wish = {
        "service": _service("new-patient-visit"),
        "practitioner": None,
        "earliest": next_weekday(1),
        "latest": next_weekday(1),
        "weekdays": [],
        "parts_of_day": [],
    }
    newcomer = waitlist_services.waitlist_join(**wish, details=details(), answers=answers())
    returning = waitlist_services.waitlist_join(
        **wish, details=details(), answers=answers(kind="returning")
    )
    start = local(next_weekday(1), 10)
    now = timezone.now()
    with_omar = entry_list_waiting(practitioner_id=returning_only.pk, starts_at=start, now=now)
    with_rosa = entry_list_waiting(practitioner_id=practitioner().pk, starts_at=start, now=now)
    assert with_omar == [returning]
    assert set(with_rosa) == {newcomer, returning}


def test_a_course_from_a_first_visit_books_its_follow_ups(client, soup, returning_only):
    first = book(start=local(next_weekday(0), 10), service="new-patient-visit")
    url = reverse("booking:more_sessions", args=[manage_token(first)])
    form = soup(client.get(url, {"count": 2, "every": 1})).find("form", class_="course-preview")
    data = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    data |= {
        i["name"]: i["value"] for i in form.find_all("input", type="radio") if i.has_attr("checked")
    }
    response = client.post(url + "?count=2&every=1", data)
    assert response.status_code == 302, response.content[:2000]
    course = Course.objects.get()
    assert course.service.slug == "follow-up-treatment"
    assert course.appointments.exclude(pk=first.pk).count() == 2


@pytest.mark.parametrize(
    ("status", "days", "new"),
    [
        (AppointmentStatus.COMPLETED, -14, False),
        (AppointmentStatus.CONFIRMED, -1, False),  # begun, not marked yet
        (AppointmentStatus.CONFIRMED, 7, True),  # still to come
        (AppointmentStatus.CANCELLED, -14, True),
        (AppointmentStatus.NO_SHOW, -14, True),
    ],
)
def test_a_patient_is_new_until_a_visit_kept_or_begun(practice, status, days, new):
    visit = book(start=local(next_weekday(0), 9))
    moved = timezone.now() + dt.timedelta(days=days)
    Appointment.with_holds.filter(pk=visit.pk).update(
        status=status,
        starts_at=moved,
        ends_at=moved + dt.timedelta(minutes=50),
        blocked_until=moved + dt.timedelta(minutes=50),
    )
    assert selectors.patient_is_new(patient=visit.patient) is new
    assert selectors.patient_is_new(patient=None)


def test_seen_before_makes_a_returning_patient(practice):
    patient = book(start=local(next_weekday(0), 9), patient=details(email="x@example.com")).patient
    assert selectors.patient_is_new(patient=patient)
    seen_before(email="x@example.com")
    assert not selectors.patient_is_new(patient=patient)
