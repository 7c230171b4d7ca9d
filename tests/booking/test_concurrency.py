"""Twenty patients confirm the same time at the same moment, each over its own connection:
exactly one appointment exists afterwards, and everyone else hears "just taken"."""

import threading

import pytest
from django.db import connection, connections

from booking import services
from booking.models import Appointment
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details

ATTEMPTS = 20

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections are tested on PostgreSQL (SQLite serialises writers)",
)


# Transactional, like every test that commits: pytest-django runs tests without a database
# marker after the transactional ones, whose flush has emptied the tables by then; marked,
# this one starts from the demo snapshot (tests/conftest.py) whatever ran before it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_bookings_of_one_slot_make_one_appointment(committed):
    start = local(next_weekday(2, weeks_ahead=3), 10)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                book(start=start, patient=details(email=f"race{number}@example.com"))
                outcome = "booked"
            except services.SlotTaken:
                outcome = "taken"
            except Exception as error:
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("taken") == ATTEMPTS - 1, outcomes
    assert Appointment.objects.filter(starts_at=start).count() == 1
