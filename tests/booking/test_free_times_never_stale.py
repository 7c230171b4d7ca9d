"""Free times are read from the database on every request: a time taken, freed or blocked
a moment ago shows on the next one (no cache of the schedule to forget)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking import selectors, services
from booking.models import BookingPolicy, Practitioner, Service, TimeOff, WorkingHours
from tests.booking.walk import confirm, later_week, slot_value, walk_to_review
from tests.clock import local, next_weekday
from tests.factories.bookings import book
from tests.factories.practice import practitioner

MONDAY = next_weekday(0)
WEEK = f"/book/time/?week={MONDAY.isoformat()}"


@pytest.fixture
def picking(client):
    """A visitor on the time page for a follow-up with Rosa, the week of ``MONDAY`` shown."""
    rosa = practitioner()
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk, "practitioner": rosa.pk})
    return client


def offered(client, start: dt.datetime, who: Practitioner | None = None) -> bool:
    return slot_value(start, (who or practitioner()).pk) in client.get(WEEK).content.decode()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_slot_page_runs_a_fixed_number_of_queries(picking):
    BookingPolicy.load()
    queries(picking, "/book/time/")
    few = queries(picking, "/book/time/")
    for hour in (9, 10, 11, 14, 15):
        book(start=local(MONDAY, hour))
    many = queries(picking, "/book/time/")
    # The session, the service and practitioners, the policy, hours, time off, busy times
    # and appointments: however many are booked.
    assert few == many <= 14, (few, many)


@pytest.mark.django_db
def test_a_slot_booked_by_someone_else_is_gone_at_once(picking):
    assert offered(picking, local(MONDAY, 10))

    book(start=local(MONDAY, 10))

    assert not offered(picking, local(MONDAY, 10))
    assert not offered(picking, local(MONDAY, 10, 30))  # overlaps it
    assert offered(picking, local(MONDAY, 11))


@pytest.mark.django_db
def test_a_slot_booked_through_the_wizard_is_gone_for_the_next_visitor(client):
    other = client.__class__()
    other.post("/book/", {"service": Service.objects.get(slug="new-patient-visit").pk})
    before = other.get(later_week()).content.decode()
    _, slot = walk_to_review(client)
    assert slot in before

    confirm(client)

    assert slot not in other.get(later_week()).content.decode()


@pytest.mark.django_db
def test_a_cancelled_or_moved_appointment_frees_its_time_at_once(picking):
    appointment = book(start=local(MONDAY, 10))
    assert not offered(picking, local(MONDAY, 10))

    moved = services.appointment_reschedule(
        appointment=appointment, start=local(MONDAY, 14), by_staff=True
    )
    assert offered(picking, local(MONDAY, 10))
    assert not offered(picking, local(MONDAY, 14))

    services.appointment_cancel(appointment=moved, by_staff=True)
    assert offered(picking, local(MONDAY, 14))


@pytest.mark.django_db
def test_staff_cancelling_in_the_admin_frees_the_time_at_once(picking, admin_client):
    appointment = book(start=local(MONDAY, 10))
    assert not offered(picking, local(MONDAY, 10))

    admin_client.post(
        reverse("booking_staff:cancel", args=[appointment.pk]),
        {"reason": "Patient called"},
    )

    assert offered(picking, local(MONDAY, 10))


@pytest.mark.django_db
def test_schedule_changes_show_at_once(picking, subtests):
    rosa = practitioner()
    assert offered(picking, local(MONDAY, 10))

    with subtests.test("time off"):
        away = TimeOff.objects.create(
            practitioner=rosa, starts_at=local(MONDAY, 9), ends_at=local(MONDAY, 12)
        )
        assert not offered(picking, local(MONDAY, 10))
        away.delete()
        assert offered(picking, local(MONDAY, 10))

    with subtests.test("working hours"):
        WorkingHours.objects.filter(practitioner=rosa, weekday=0).delete()
        assert not offered(picking, local(MONDAY, 10))
        WorkingHours.objects.create(
            practitioner=rosa, weekday=0, start_time=dt.time(9), end_time=dt.time(17)
        )
        assert offered(picking, local(MONDAY, 10))

    with subtests.test("booking policy"):
        assert not offered(picking, local(MONDAY, 10, 5))
        policy = BookingPolicy.load()
        policy.slot_step_minutes = 5
        policy.save()
        assert offered(picking, local(MONDAY, 10, 5))


@pytest.mark.django_db
def test_a_practitioner_who_stops_offering_a_service_is_not_offered_for_it(client):
    service = Service.objects.get(slug="follow-up-treatment")
    client.post("/book/", {"service": service.pk})  # first available
    rosa = practitioner()
    assert offered(client, local(MONDAY, 10), rosa)

    service.practitioners.remove(rosa)

    assert not offered(client, local(MONDAY, 10), rosa)


@pytest.mark.django_db
def test_a_change_no_signal_sees_shows_at_once_too(picking):
    assert offered(picking, local(MONDAY, 10))
    # A bulk insert (a shell, an import) sends no signal: nothing has to be told.
    TimeOff.objects.bulk_create(
        [
            TimeOff(
                practitioner=practitioner(), starts_at=local(MONDAY, 9), ends_at=local(MONDAY, 12)
            )
        ]
    )
    assert not offered(picking, local(MONDAY, 10))
    with pytest.raises(services.SlotTaken):
        book(start=local(MONDAY, 10))


@pytest.mark.django_db
def test_moving_an_appointment_sees_its_own_time_free_and_nobody_else_does(picking):
    appointment = book(start=local(MONDAY, 10))
    assert not offered(picking, local(MONDAY, 10))

    shown = selectors.slot_list_free(
        service=appointment.service,
        practitioner=appointment.practitioner,
        first_day=MONDAY,
        days=7,
        now=timezone.now(),
        exclude_appointment=appointment,
    )

    assert local(MONDAY, 10) in {slot.start for slot in shown}
    assert not offered(picking, local(MONDAY, 10))


@pytest.mark.django_db
@pytest.mark.parametrize("closed_days", [0, 1, 9, 26, 40])
def test_the_first_free_week_is_the_one_a_search_of_four_weeks_finds(closed_days):
    """The slot page works the free times out a week at a time until one has any; what it
    shows is what searching all 28 days at once and taking the week of the first free time
    shows, when that week starts today, in the next week, runs past the 28 days, or when
    nothing is free at all."""
    service = Service.objects.get(slug="follow-up-treatment")
    now = timezone.now()
    today = timezone.localdate(now)
    book(start=local(MONDAY, 10))
    if closed_days:
        TimeOff.objects.create(
            practitioner=None,
            starts_at=local(today, 0),
            ends_at=local(today + dt.timedelta(days=closed_days), 0),
            reason="Closed for repairs",
        )

    def expected():
        everything = selectors.slot_list_free(
            service=service, practitioner=None, first_day=today, days=28, now=now
        )
        if not everything:
            return None
        first = timezone.localdate(everything[0].start)
        return first, selectors.slot_list_free(
            service=service, practitioner=None, first_day=first, days=7, now=now
        )

    found = selectors.slot_list_first_week(
        service=service, practitioner=None, today=today, search_days=28, week_days=7, now=now
    )
    assert found == expected()
    assert (found is None) == (closed_days == 40)
