"""Random joins, cancellations, claims, declines and hours passing, with the sweep run as
the task worker would. After every step no two rows that hold time overlap (holds
included); once the sweep has run no hold outlives its end; and every hold belongs to
exactly one open offer whose entry is marked offered."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from itertools import pairwise

import pytest
import time_machine
from django.db.models import Count
from django.test import TestCase
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from booking import services as booking_services
from booking.contracts import BookingError
from booking.models import (
    Appointment,
    AppointmentStatus,
    Intake,
    OfferOutcome,
    Patient,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from booking.waitlist import claims, services
from tests.clock import local
from tests.factories.bookings import book, details

from .people import MONDAY, join

machine_settings = settings()  # the suite's profile, tests/conftest.py
# Rosa's Monday booked solid, an hour a session with its buffer.
FULL_DAY = [(9, 0), (10, 0), (11, 0), (13, 30), (14, 30), (15, 30), (16, 30)]
PARTS = ["morning", "afternoon", "evening"]


class Waitlist(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.patients_before = set(Patient.objects.values_list("pk", flat=True))
        self.now = timezone.now()
        self.emails = [f"p{n}@example.com" for n in range(len(FULL_DAY))]
        with self.clock():
            self.booked = [
                book(start=local(MONDAY, h, m), patient=details(email=e))
                for (h, m), e in zip(FULL_DAY, self.emails, strict=True)
            ]
            # Three patients already waiting, so that the first cancellation finds someone.
            for n, parts in enumerate([[], ["morning"], ["afternoon"]]):
                join(details=details(email=f"w{n}@example.com"), parts_of_day=parts)

    def teardown(self):
        """Each example's rows go before the next, in the same test transaction."""
        made = Patient.objects.exclude(pk__in=self.patients_before)
        WaitlistEntry.objects.filter(patient__in=made).delete()
        Intake.objects.filter(appointment__patient__in=made).delete()
        Appointment.with_holds.filter(patient__in=made).delete()
        made.delete()

    def clock(self):
        return time_machine.travel(self.now, tick=False)

    def step(self):
        """A step as the site runs it: at the machine's time, with its commits' tasks."""
        return TestCase.captureOnCommitCallbacks(execute=True)

    @rule(
        who=st.integers(min_value=0, max_value=len(FULL_DAY) - 1),
        parts=st.sets(st.sampled_from(PARTS)),
        move=st.booleans(),
    )
    def join_the_list(self, who, parts, move):
        booked = self.booked[who]
        with self.clock(), self.step():
            join(
                details=details(email=self.emails[who]),
                parts_of_day=sorted(parts),
                move_appointment=booked if move else None,
            )

    @rule(which=st.integers(min_value=0, max_value=len(FULL_DAY) - 1))
    def cancel(self, which):
        appointment = Appointment.objects.get(pk=self.booked[which].pk)
        with self.clock(), self.step(), suppress(BookingError):  # cancelled already
            booking_services.appointment_cancel(appointment=appointment, by_staff=True)

    def pending(self) -> list[WaitlistOffer]:
        return list(WaitlistOffer.objects.filter(outcome=OfferOutcome.PENDING).order_by("pk"))

    @precondition(lambda self: bool(self.pending()))
    @rule(pick=st.integers(min_value=0), decline=st.booleans())
    def answer_an_offer(self, pick, decline):
        offers = self.pending()
        offer = WaitlistOffer.objects.select_related("entry__patient", "entry__service").get(
            pk=offers[pick % len(offers)].pk
        )
        with self.clock(), self.step():
            try:
                if decline:
                    claims.offer_decline(offer=offer)
                else:
                    claimed = claims.offer_claim(offer=offer)
                    assert claimed.status == AppointmentStatus.CONFIRMED
                    self.booked.append(claimed)
            except claims.OfferGone:
                assert offer.expires_at <= self.now  # only a hold that ran out is refused

    @rule(minutes=st.sampled_from([10, 45, 90, 150, 60 * 24]))
    def time_passes_and_the_sweep_runs(self, minutes):
        self.now += dt.timedelta(minutes=minutes)
        with self.clock(), self.step():
            services.holds_release_expired()
        assert not Appointment.with_holds.filter(
            status=AppointmentStatus.HELD, hold_expires_at__lte=self.now
        ).exists()

    @invariant()
    def nothing_overlaps(self):
        rows = Appointment.with_holds.holding_time().order_by("practitioner_id", "starts_at")
        for before, after in pairwise(rows):
            if before.practitioner_id == after.practitioner_id:
                assert before.blocked_until <= after.starts_at, (before.pk, after.pk)

    @invariant()
    def every_hold_has_one_open_offer_to_an_offered_entry(self):
        for hold in Appointment.with_holds.filter(status=AppointmentStatus.HELD):
            offer = WaitlistOffer.objects.get(hold=hold)
            assert offer.outcome == OfferOutcome.PENDING
            assert offer.entry.status == WaitlistStatus.OFFERED
            assert hold.hold_for_id == offer.entry_id
        pending = WaitlistOffer.objects.filter(outcome=OfferOutcome.PENDING)
        assert not pending.values("entry").annotate(n=Count("pk")).filter(n__gt=1).exists()
        assert (
            not WaitlistEntry.objects.filter(
                status=WaitlistStatus.OFFERED, offers__outcome=OfferOutcome.PENDING
            ).count()
            < WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).count()
        )


@pytest.mark.django_db
def test_random_joins_cancellations_claims_and_expiries_keep_the_schedule_sound():
    run_state_machine_as_test(
        Waitlist,
        settings=settings(machine_settings, max_examples=20, stateful_step_count=20),
    )
