"""The phone booking knows the caller: a patient never seen is refused what only returning
patients may book, with why; and no session with electrical stimulation is booked for a
caller whose health answers have not come in."""

import datetime as dt

import pytest

from booking.models import Appointment, Service
from tests.clock import local
from tests.factories.bookings import answers, book, details, seen
from tests.factories.practice import practitioner

from .shared import MONDAY, TUESDAY

URL = "/admin/bookings/book/"
BORN = "1970-01-01"


def caller(service: str, who=None, *, time: str = "11:00", day=MONDAY, **overrides) -> dict:
    values = {
        "service": Service.objects.get(slug=service).pk,
        "practitioner": (who or practitioner()).pk,
        "date": day.isoformat(),
        "time": time,
        "first_name": "Phone",
        "last_name": "Caller",
        "email": "caller@example.com",
        "phone": "555 0199",
        "date_of_birth": BORN,
        "red_flags": "none",
    }
    return values | overrides


def _seen_caller(*, answered: bool = True) -> Appointment:
    """A visit the caller kept some weeks ago, with their answers or (booked by phone and
    never answered) without."""
    who = details(
        first_name="Phone",
        last_name="Caller",
        email="caller@example.com",
        phone="555 0199",
        date_of_birth=dt.date.fromisoformat(BORN),
    )
    visit = book(
        start=local(TUESDAY, 15),
        service="new-patient-visit",
        patient=who,
        **({} if answered else {"intake": None, "by_staff": True}),
    )
    return seen(visit)


@pytest.fixture
def returning_only(practice):
    Service.objects.filter(slug__in=["follow-up-treatment", "electroacupuncture"]).update(
        open_to_new_patients=False
    )
    omar = practitioner("omar-haddad")
    omar.takes_new_patients = False
    omar.save()
    omar.services.add(Service.objects.get(slug="new-patient-visit"))
    return omar


@pytest.mark.django_db
def test_a_new_caller_is_refused_a_follow_up_and_told_why(front_desk_client, soup, returning_only):
    response = front_desk_client.post(URL, caller("follow-up-treatment"))
    assert response.status_code == 200
    text = soup(response).get_text(" ")
    assert "“Follow-up treatment” is for patients we have seen before" in text
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_a_new_caller_is_refused_a_practitioner_for_returning_patients(
    front_desk_client, soup, returning_only
):
    response = front_desk_client.post(
        URL, caller("new-patient-visit", returning_only, day=TUESDAY, time="11:00")
    )
    text = soup(response).get_text(" ")
    assert "Omar Haddad sees patients after their first visit with another" in text
    assert Appointment.objects.count() == 0
    # With the practitioner who sees new patients, the first visit books.
    booked = front_desk_client.post(URL, caller("new-patient-visit", day=TUESDAY, time="11:00"))
    assert booked.status_code == 302
    assert Appointment.objects.get().practitioner == practitioner()


@pytest.mark.django_db
def test_a_caller_seen_before_books_a_follow_up_with_omar(front_desk_client, returning_only):
    _seen_caller()
    response = front_desk_client.post(
        URL, caller("follow-up-treatment", returning_only, day=TUESDAY, time="11:00")
    )
    assert response.status_code == 302
    assert Appointment.objects.get(practitioner=returning_only).service.slug == (
        "follow-up-treatment"
    )


@pytest.mark.django_db
def test_no_electrical_stimulation_for_a_caller_whose_answers_never_came_in(
    front_desk_client, soup, practice
):
    _seen_caller(answered=False)
    response = front_desk_client.post(URL, caller("electroacupuncture"))
    text = soup(response).get_text(" ")
    assert "health answers are not on file yet" in text
    assert "without electrical stimulation" in text
    assert not Appointment.objects.filter(service__slug="electroacupuncture").exists()
    # The same session without it books.
    assert front_desk_client.post(URL, caller("follow-up-treatment")).status_code == 302


@pytest.mark.django_db
def test_electrical_stimulation_for_a_caller_whose_answers_are_on_file(front_desk_client, practice):
    _seen_caller(answered=True)
    assert front_desk_client.post(URL, caller("electroacupuncture")).status_code == 302
    booked = Appointment.objects.get(service__slug="electroacupuncture")
    # Not screened until the caller answers again through the link.
    assert not booked.screened and booked.rules == ["No electrical stimulation"]


@pytest.mark.django_db
def test_a_new_caller_is_never_booked_electrical_stimulation(front_desk_client, soup, practice):
    """Even where every session is open to new patients: no answers, no electricity."""
    response = front_desk_client.post(URL, caller("electroacupuncture"))
    assert "health answers are not on file yet" in soup(response).get_text(" ")
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_answers_given_online_count_as_on_file(front_desk_client, practice):
    book(
        start=local(TUESDAY, 15),
        service="new-patient-visit",
        patient=details(
            first_name="Phone", last_name="Caller", email="caller@example.com", phone="555 0199"
        ),
        intake=answers(),
    )
    assert front_desk_client.post(URL, caller("electroacupuncture")).status_code == 302
