"""On PostgreSQL, over separate connections with real commits: a held time is the
database's own fact. Claims racing each other, or the sweep, make one appointment; no
booking path gets a held time; the constraint refuses a row laid over a hold."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, connections, transaction

from booking import services as booking_services
from booking.models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    Intake,
    OfferOutcome,
    Service,
    WaitlistEntry,
    WaitlistOffer,
)
from booking.waitlist import claims, services
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections are tested on PostgreSQL (SQLite serialises writers)",
)


@pytest.fixture
def committed(committed):
    """The booking tests' own (tests/booking/conftest.py), and the policy put back."""
    yield
    policy_set(waitlist_broadcast=False, minimum_notice_hours=12)


def policy_set(**fields) -> None:
    """Saved, not updated, so that the cached copy the free times read is forgotten."""
    policy = BookingPolicy.load()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()


def at_once(count: int, attempt) -> list[str]:
    """Runs ``attempt(number)`` in ``count`` threads released together; their outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcome = attempt(number)
            except claims.OfferGone:
                outcome = "gone"
            except Exception as error:
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def freed_and_held(*, entries: int = 1) -> tuple[list[WaitlistEntry], WaitlistOffer | None]:
    booked = full_morning()
    waiting = [join(details=details(email=f"wait{n}@example.com")) for n in range(entries)]
    booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    # Immediate tasks ran on commit: the time is held for the first entry now.
    return waiting, WaitlistOffer.objects.filter(entry=waiting[0]).first()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_hold_claimed_from_ten_tabs_at_once_makes_one_appointment(committed):
    _, offer = freed_and_held()
    outcomes = at_once(10, lambda n: claims.offer_claim(offer=offer) and "booked")
    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("gone") == 9, outcomes
    assert (
        Appointment.objects.filter(
            starts_at=local(MONDAY, 10), status=AppointmentStatus.CONFIRMED
        ).count()
        == 1
    )
    assert Intake.objects.filter(appointment_id=offer.hold_id).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_patients_told_at_once_claiming_together_get_one_appointment(committed):
    """The broadcast mode close to the time: nothing is held, the first claim books it."""
    policy_set(waitlist_broadcast=True, minimum_notice_hours=0)
    booked = full_morning()
    first = join(details=details(email="one@example.com"))
    second = join(details=details(email="two@example.com"))
    with time_machine.travel(local(MONDAY, 8), tick=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
        offers = [WaitlistOffer.objects.get(entry=e) for e in (first, second)]
        assert all(o.broadcast and o.hold_id is None for o in offers)
        outcomes = at_once(2, lambda n: claims.offer_claim(offer=offers[n]) and "booked")
    assert sorted(outcomes) == ["booked", "gone"], outcomes
    assert (
        Appointment.objects.filter(
            starts_at=local(MONDAY, 10), status=AppointmentStatus.CONFIRMED
        ).count()
        == 1
    )
    assert {o.outcome for o in WaitlistOffer.objects.filter(pk__in=[o.pk for o in offers])} == {
        OfferOutcome.CLAIMED,
        OfferOutcome.GONE,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_booking_path_gets_a_held_time_and_the_constraint_refuses_one(committed):
    _, offer = freed_and_held()
    with pytest.raises(booking_services.SlotTaken):
        book(start=local(MONDAY, 10), patient=details(email="online@example.com"))
    with pytest.raises(booking_services.SlotTaken):
        book(start=local(MONDAY, 10), patient=details(email="phone@example.com"), by_staff=True)
    # Below every check in the code, the database itself refuses a row over the hold.
    hold = offer.hold
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=hold.patient,
            practitioner=practitioner(),
            service=Service.objects.get(slug="follow-up-treatment"),
            starts_at=hold.starts_at + dt.timedelta(minutes=15),
            ends_at=hold.ends_at + dt.timedelta(minutes=15),
            blocked_until=hold.blocked_until + dt.timedelta(minutes=15),
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_racing_the_sweep_at_the_end_of_the_hold_has_one_winner(committed):
    waiting, offer = freed_and_held(entries=2)
    end = offer.expires_at

    def attempt(number: int) -> str:
        if number == 0:
            claims.offer_claim(offer=offer, now=end - dt.timedelta(seconds=1))
            return "booked"
        return f"released {services.holds_release_expired(now=end + dt.timedelta(seconds=1))}"

    outcomes = at_once(2, attempt)
    offer.refresh_from_db()
    if "booked" in outcomes:
        assert offer.outcome == OfferOutcome.CLAIMED and "released 0" in outcomes
        assert Appointment.objects.get(pk=offer.hold_id).status == AppointmentStatus.CONFIRMED
    else:
        assert sorted(outcomes) == ["gone", "released 1"], outcomes
        assert offer.outcome == OfferOutcome.EXPIRED
        # The next entry has it now; the first stays on the list.
        assert WaitlistOffer.objects.get(entry=waiting[1]).hold.status == AppointmentStatus.HELD
