"""Times booking requests end to end: the slot page and the confirm request, through Django.

Runs against a throwaway test database (created, migrated and filled with the demo
content first, which takes a while), with 1,000 appointments already booked. Prints
median and p95 per step. Usage: .venv/bin/python bench/booking_bench.py [rounds]
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The session a new patient books (the demo's follow-ups are for patients seen before).
NEW_PATIENTS_SESSION = "new-patient-visit"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.test")


def main(rounds: int) -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.BOOKING_SUBMISSIONS_PER_HOUR = 10**6  # one address books them all here
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    print("Preparing a test database with the demo content …", flush=True)
    created = setup_databases(verbosity=0, interactive=False)
    try:
        run(rounds)
    finally:
        teardown_databases(created, verbosity=0)


def fill(count: int) -> None:
    """``count`` appointments: half of the free times of the coming weeks are booked through
    the booking service (at most 300), the rest lie in the past months."""
    from booking import selectors, services
    from booking.models import Appointment, Patient, Practitioner, Service
    from tests.factories.bookings import answers, details

    rng = random.Random(42)
    now = dt.datetime.now(dt.UTC)
    service = Service.objects.get(slug="follow-up-treatment")
    free = selectors.slot_list_free(
        service=service, practitioner=None, first_day=now.date(), days=60, now=now
    )
    rng.shuffle(free)
    upcoming = min(300, len(free) // 2, count)
    booked = 0
    for slot in free:
        if booked == upcoming:
            break
        try:
            services.appointment_book(
                service=service,
                practitioner=None,
                start=slot.start,
                details=details(),
                answers=answers(),
                now=now,
            )
            booked += 1
        except services.SlotTaken:
            continue
    patient = Patient.objects.first()
    practitioners = list(Practitioner.objects.all())
    past = [
        Appointment(
            patient=patient,
            practitioner=practitioners[n % len(practitioners)],
            service=service,
            starts_at=now - dt.timedelta(days=1 + n // 6, hours=n % 6),
            ends_at=now - dt.timedelta(days=1 + n // 6, hours=n % 6) + dt.timedelta(minutes=50),
            blocked_until=now
            - dt.timedelta(days=1 + n // 6, hours=n % 6)
            + dt.timedelta(minutes=60),
            status="completed",
        )
        for n in range(count - booked)
    ]
    Appointment.objects.bulk_create(past)
    print(f"{booked} upcoming and {len(past)} past appointments to start with.")


def first_free_slot() -> str:
    """The first free time within the horizon, as the time page's button sends it. Once
    the bookings have filled the coming four weeks, the week the time page opens on has
    none left to click (it says so and links to later weeks)."""
    from booking import selectors
    from booking.models import Service
    from tests.booking.walk import slot_value

    now = dt.datetime.now(dt.UTC)
    service = Service.objects.get(slug=NEW_PATIENTS_SESSION)
    slot = selectors.slot_list_free(
        service=service, practitioner=None, first_day=now.date(), days=60, now=now
    )[0]
    return slot_value(slot.start, slot.practitioner_id)


def run(rounds: int) -> None:
    from django.test import Client

    from demo.loader import load_demo_content
    from tests.booking.walk import confirm, details_data, walk_to_review

    load_demo_content()
    fill(1000)
    steps: dict[str, list[float]] = {
        "slot page (GET /book/time/)": [],
        "confirm (POST /book/review/)": [],
        "whole booking, five steps": [],
    }
    for number in range(rounds):
        client = Client()
        begun = time.perf_counter()
        from booking.models import Service

        client.post("/book/", {"service": Service.objects.get(slug=NEW_PATIENTS_SESSION).pk})
        tick = time.perf_counter()
        client.get("/book/time/")
        steps["slot page (GET /book/time/)"].append(time.perf_counter() - tick)
        # A new patient each time: the one fill() booked for would get the returning
        # patient's shorter questions.
        new_patient = details_data(email=f"bench.patient{number}@example.com")
        walk_to_review(
            client, service=NEW_PATIENTS_SESSION, slot=first_free_slot(), details=new_patient
        )
        tick = time.perf_counter()
        response, _ = confirm(client)
        steps["confirm (POST /book/review/)"].append(time.perf_counter() - tick)
        assert response.status_code == 302, response.status_code
        steps["whole booking, five steps"].append(time.perf_counter() - begun)
    print(f"\n{'step':34} {'median':>9} {'p95':>9}   ({rounds} bookings)")
    for name, times in steps.items():
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{name:34} {statistics.median(times) * 1000:7.1f}ms {p95 * 1000:7.1f}ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
