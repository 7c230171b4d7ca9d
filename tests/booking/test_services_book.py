"""The booking service keeps the schedule's rules when it books, whoever books."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from booking import selectors, services
from booking.models import Appointment, AppointmentStatus, BookingPolicy, Service, TimeOff
from tests.clock import local, next_weekday
from tests.factories.bookings import ANYONE, answers, book
from tests.factories.practice import practitioner

MONDAY = next_weekday(0)


@pytest.mark.django_db
def test_two_bookings_cannot_overlap_for_one_practitioner():
    book(start=local(MONDAY, 10))  # 10:00-10:50, blocked until 11:00
    for start in [local(MONDAY, 10), local(MONDAY, 10, 30), local(MONDAY, 9, 15)]:
        with pytest.raises(services.SlotTaken) as taken:
            book(start=start)
        assert taken.value.alternatives
        assert all(s.start != start for s in taken.value.alternatives)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_the_buffer_after_a_session_is_kept_free_and_touching_is_allowed():
    book(start=local(MONDAY, 10))
    with pytest.raises(services.SlotTaken):
        book(start=local(MONDAY, 10, 45))
    assert book(start=local(MONDAY, 11)).starts_at == local(MONDAY, 11)
    # A session may end exactly where the earlier one's buffer starts? No: 09:00-09:50
    # plus its own buffer runs to 10:00, touching the 10:00 booking, which is allowed.
    assert book(start=local(MONDAY, 9)).starts_at == local(MONDAY, 9)


@pytest.mark.django_db
def test_another_practitioner_can_take_the_same_time():
    tuesday = next_weekday(1)
    book(start=local(tuesday, 11))
    other = book(start=local(tuesday, 11), who=practitioner("omar-haddad"))
    assert other.practitioner.name == "Omar Haddad"


@pytest.mark.django_db
def test_first_available_picks_whoever_is_free():
    tuesday = next_weekday(1)
    first = book(start=local(tuesday, 11), who=None)
    second = book(start=local(tuesday, 11), who=None)
    assert {first.practitioner.name, second.practitioner.name} == {
        "Rosa Lind",
        "Omar Haddad",
    }
    with pytest.raises(services.SlotTaken):
        book(start=local(tuesday, 11), who=None)


@pytest.mark.django_db
def test_first_available_books_whom_the_time_was_shown_with_while_they_are_free():
    tuesday = next_weekday(1)
    service = Service.objects.get(slug="follow-up-treatment")
    first, second, *_ = selectors.practitioner_list_for_service(service=service)
    shown = book(start=local(tuesday, 11), who=ANYONE, preferred_practitioner_id=second.pk)
    assert shown.practitioner == second
    # Taken since: anyone free at that time will do, as the patient asked.
    fallback = book(start=local(tuesday, 11), who=ANYONE, preferred_practitioner_id=second.pk)
    assert fallback.practitioner == first


@pytest.mark.django_db
def test_times_outside_working_hours_or_off_the_grid_are_refused():
    for start in [
        local(MONDAY, 12, 15),
        local(MONDAY, 7),
        local(MONDAY, 10, 7),
        local(next_weekday(6), 10),
    ]:
        with pytest.raises(services.SlotTaken):
            book(start=start)


@pytest.mark.django_db
def test_minimum_notice_binds_patients_but_not_staff():
    with time_machine.travel(local(MONDAY, 6)):  # 09:00 is three hours away
        with pytest.raises(services.SlotTaken):
            book(start=local(MONDAY, 9))
        assert book(start=local(MONDAY, 9), by_staff=True).booked_by_staff
        with pytest.raises(services.SlotTaken):  # staff still cannot overlap
            book(start=local(MONDAY, 9, 30), by_staff=True)
        tuesday = MONDAY + dt.timedelta(days=1)
        assert book(start=local(tuesday, 10)).starts_at == local(tuesday, 10)


@pytest.mark.django_db
def test_time_off_and_clinic_closures_remove_times():
    TimeOff.objects.create(
        practitioner=practitioner(), starts_at=local(MONDAY, 9), ends_at=local(MONDAY, 12, 30)
    )
    with pytest.raises(services.SlotTaken):
        book(start=local(MONDAY, 10))
    assert book(start=local(MONDAY, 13, 30))
    wednesday = next_weekday(2)
    TimeOff.objects.create(starts_at=local(wednesday, 0), ends_at=local(wednesday, 23, 59))
    with pytest.raises(services.SlotTaken):
        book(start=local(wednesday, 10))


@pytest.mark.django_db
def test_answers_that_rule_a_booking_out_are_refused_by_the_service_too():
    with pytest.raises(services.BookingError):
        book(
            start=local(MONDAY, 10),
            service="electroacupuncture",
            intake=answers(screen_implant="yes"),
        )
    with pytest.raises(services.BookingError):
        book(start=local(MONDAY, 10), intake=answers(red_weakness="yes"))
    assert Appointment.objects.count() == 0


def policy_reads(action) -> int:
    """How many queries ``action`` sends to the booking policy's table."""
    table = f'"{BookingPolicy._meta.db_table}"'
    with CaptureQueriesContext(connection) as context:
        action()
    return sum(table in query["sql"] for query in context.captured_queries)


@pytest.mark.django_db
def test_a_booking_reads_the_policy_once_however_many_practitioners_it_tries():
    tuesday = next_weekday(1)
    service = Service.objects.get(slug="follow-up-treatment")
    first, *others = selectors.practitioner_list_for_service(service=service)
    assert others, "the demo has two practitioners for this service"
    book(start=local(tuesday, 11), who=first)
    # "First available" tries the first practitioner (busy), then the next one.
    assert policy_reads(lambda: book(start=local(tuesday, 11), who=ANYONE)) == 1

    def clash():  # everyone is busy now: the nearby times are found with the same policy
        with pytest.raises(services.SlotTaken) as taken:
            book(start=local(tuesday, 11), who=ANYONE)
        assert taken.value.alternatives

    assert policy_reads(clash) == 1
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_the_same_idempotency_key_books_once():
    import uuid

    key = uuid.uuid4()
    first = book(start=local(MONDAY, 10), idempotency_key=key)
    second = book(start=local(MONDAY, 10), idempotency_key=key)
    assert first.pk == second.pk and Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_second_click_with_anyone_free_still_books_once():
    """The second request finds another practitioner free at the same time; the key's
    unique constraint turns it back to the first booking."""
    import uuid

    key = uuid.uuid4()
    first = book(start=local(MONDAY, 10), who=ANYONE, idempotency_key=key)
    second = book(start=local(MONDAY, 10), who=ANYONE, idempotency_key=key)
    assert first.pk == second.pk and Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_postgresql_itself_refuses_overlapping_rows():
    appointment = book(start=local(MONDAY, 10))
    clash = Appointment(
        patient=appointment.patient,
        practitioner=appointment.practitioner,
        service=appointment.service,
        starts_at=local(MONDAY, 10, 30),
        ends_at=local(MONDAY, 11, 20),
        blocked_until=local(MONDAY, 11, 30),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()
    clash.status = AppointmentStatus.CANCELLED
    clash.save()  # cancelled appointments hold no time


class _PostgresError(Exception):
    def __init__(self, pgcode: str):
        super().__init__(pgcode)
        self.pgcode = pgcode


def _refused_by_the_database(pgcode: str):
    def create(*args, **kwargs):
        # As Django raises it: its OperationalError, psycopg2's error as the cause.
        raise OperationalError("refused") from _PostgresError(pgcode)

    return create


@pytest.mark.django_db
def test_a_booking_that_loses_a_deadlock_to_another_is_told_the_time_is_taken(monkeypatch):
    """Two overlapping writes can each wait on the other's row to check the exclusion
    constraint; PostgreSQL then aborts one (SQLSTATE 40P01) and the other holds the time."""
    monkeypatch.setattr(Appointment.objects, "create", _refused_by_the_database("40P01"))
    with pytest.raises(services.SlotTaken) as taken:
        book(start=local(MONDAY, 10))
    assert taken.value.alternatives
    assert Appointment.objects.count() == 0


@pytest.mark.django_db
def test_a_database_failure_that_is_not_a_lost_race_is_not_called_a_taken_time(monkeypatch):
    monkeypatch.setattr(Appointment.objects, "create", _refused_by_the_database("57P01"))
    with pytest.raises(OperationalError):
        book(start=local(MONDAY, 10))
