"""A chain of "move me sooner": each claim cancels the patient's later appointment, which
goes to the next entry, and so on. Nothing overlaps at any point, and everyone ends with
exactly one appointment, sooner than the one they had."""

from itertools import pairwise

import pytest

from booking import services as booking_services
from booking.models import Appointment, AppointmentStatus, WaitlistOffer
from booking.waitlist import claims
from tests.clock import local
from tests.factories.bookings import book, details

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.django_db


def assert_no_overlaps() -> None:
    """No two rows of one practitioner that hold time (holds included) overlap."""
    rows = Appointment.with_holds.holding_time().order_by("practitioner_id", "starts_at")
    for before, after in pairwise(rows):
        if before.practitioner_id == after.practitioner_id:
            assert before.blocked_until <= after.starts_at, (before.pk, after.pk)


def test_a_chain_of_moves_sooner_never_overlaps(django_capture_on_commit_callbacks):
    morning = full_morning()
    book(start=local(MONDAY, 13, 30))
    movers = []
    for n, (hour, minute) in enumerate([(14, 30), (15, 30), (16, 30)]):
        email = f"mover{n}@example.com"
        later = book(start=local(MONDAY, hour, minute), patient=details(email=email))
        movers.append((join(details=details(email=email), move_appointment=later), later))
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=morning[1], by_staff=True)
    sooner = [local(MONDAY, 10), local(MONDAY, 14, 30), local(MONDAY, 15, 30)]
    for (entry, later), expected in zip(movers, sooner, strict=True):
        assert_no_overlaps()
        offer = WaitlistOffer.objects.get(entry=entry)
        assert offer.starts_at == expected
        with django_capture_on_commit_callbacks(execute=True):
            claims.offer_claim(offer=offer)
        later.refresh_from_db()
        assert later.status == AppointmentStatus.CANCELLED
    assert_no_overlaps()
    for entry, later in movers:
        [mine] = Appointment.objects.filter(
            patient=entry.patient, status=AppointmentStatus.CONFIRMED
        )
        assert mine.starts_at < later.starts_at
    # The last mover's old time (16:30) is free, and nobody is left to take it.
    assert not Appointment.with_holds.filter(status=AppointmentStatus.HELD).exists()
