"""Random sequences of booking, cancelling and moving, as patients and staff make them.

After every step, no two appointments of one practitioner that hold time (all but the
cancelled ones) overlap, counting the buffer after each: ``[starts_at, blocked_until)``.
A refusal leaves the database as it was, and a time is refused only when it is not free
by the practice's rules, worked out here again from the tables, independently of
``booking.slots``.

The sequential machine runs on SQLite and PostgreSQL (one connection, savepoints). The
racing machine runs only on PostgreSQL: its steps also fire two to four bookings or moves
at once, each over its own connection, with real commits, so the exclusion constraint and
the re-check inside the transaction meet genuine contention.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass
from itertools import pairwise

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from booking import selectors, services
from booking.models import (
    Appointment,
    AppointmentStatus,
    Intake,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from tests.clock import TZ, next_weekday
from tests.factories.bookings import answers, book, details

ON_POSTGRESQL = connection.vendor == "postgresql"

# A Monday (Rosa only), a Tuesday (both) and a Saturday (Omar only), two weeks ahead: far
# from the minimum notice, inside the horizon, and no clock change near them.
DAYS = [next_weekday(0, weeks_ahead=2), next_weekday(1, weeks_ahead=2), next_weekday(5)]
# Every five minutes from 08:00 to 18:55: on and off the 15-minute grid, inside and outside
# the hours, and close enough to each other to fall inside sessions and their buffers.
WALL_TIMES = [dt.time(hour, minute) for hour in range(8, 19) for minute in range(0, 60, 5)]
SERVICES = ["follow-up-treatment", "new-patient-visit", "electroacupuncture"]
# How long before the start "now" is, when it is not the real now: inside and around the
# minimum notice (12 h) and the cancellation window (24 h), and after the start.
LEADS_HOURS = [None, -1, 0, 1, 11, 12, 13, 23, 24, 25]

machine_settings = settings()  # the suite's profile, tests/conftest.py


def local_start(day: dt.date, wall: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, wall, tzinfo=TZ).astimezone(dt.UTC)


GRID_TIMES = [dt.time(hour, minute) for hour in range(9, 18) for minute in (0, 15, 30, 45)]
# Mostly times on the grid inside the hours, so that bookings succeed and crowd each other.
starts = st.builds(
    local_start,
    st.sampled_from(DAYS),
    st.one_of(
        st.sampled_from(GRID_TIMES), st.sampled_from(GRID_TIMES), st.sampled_from(WALL_TIMES)
    ),
)
leads = st.one_of(st.none(), st.none(), st.sampled_from(LEADS_HOURS))


# --- what the database holds ---------------------------------------------------------------


TIMES = ("pk", "practitioner_id", "starts_at", "ends_at", "blocked_until")


def snapshot() -> dict:
    """Everything a refusal must leave as it was."""
    return {
        "appointments": sorted(
            Appointment.objects.values_list(
                "pk",
                "practitioner_id",
                "status",
                "starts_at",
                "ends_at",
                "blocked_until",
                "sequence",
            )
        ),
        "patients": Patient.objects.count(),
        "intakes": Intake.objects.count(),
    }


def assert_no_overlaps() -> None:
    holding = Appointment.objects.holding_time().order_by("practitioner_id", "starts_at")
    rows = list(
        holding.values_list("pk", "practitioner_id", "starts_at", "ends_at", "blocked_until")
    )
    for pk, _, starts_at, ends_at, blocked_until in rows:
        assert starts_at < ends_at <= blocked_until, pk
    for (pk_a, who_a, _, _, until_a), (pk_b, who_b, start_b, _, _) in pairwise(rows):
        if who_a == who_b:
            assert until_a <= start_b, f"appointments {pk_a} and {pk_b} overlap"


# --- the rules, once more, from the tables -------------------------------------------------


@dataclass(frozen=True)
class Rules:
    step: dt.timedelta
    buffer: dt.timedelta
    notice: dt.timedelta
    horizon_days: int
    window: dt.timedelta

    @classmethod
    def load(cls) -> Rules:
        policy = selectors.booking_policy_get()
        return cls(
            step=dt.timedelta(minutes=policy.slot_step_minutes),
            buffer=policy.buffer,
            notice=dt.timedelta(hours=policy.minimum_notice_hours),
            horizon_days=policy.booking_horizon_days,
            window=policy.cancellation_window,
        )


def free_by_the_rules(
    rules: Rules,
    *,
    practitioner_id: int,
    start: dt.datetime,
    duration: dt.timedelta,
    now: dt.datetime,
    by_staff: bool,
    moving: int | None = None,
) -> bool:
    """Whether ``start`` is bookable: in the hours and on their grid, after the notice (staff
    waive it, not the past), inside the horizon, clear of time off, and clear of every
    appointment holding time together with the buffer after each session."""
    if start < now + (dt.timedelta(0) if by_staff else rules.notice):
        return False
    wall = start.astimezone(TZ)
    if wall.date() > now.astimezone(TZ).date() + dt.timedelta(days=rules.horizon_days):
        return False
    since_midnight = _offset(wall.time())
    in_hours = any(
        _offset(hours.start_time) <= since_midnight
        and since_midnight + duration <= _offset(hours.end_time)
        and (since_midnight - _offset(hours.start_time)) % rules.step == dt.timedelta(0)
        for hours in WorkingHours.objects.filter(
            practitioner_id=practitioner_id, weekday=wall.weekday()
        )
    )
    if not in_hours or wall.microsecond:
        return False
    away = TimeOff.objects.filter(
        Q(practitioner_id=practitioner_id) | Q(practitioner__isnull=True),
        starts_at__lt=start + duration,
        ends_at__gt=start,
    )
    busy = (
        Appointment.objects.holding_time()
        .filter(practitioner_id=practitioner_id)
        .exclude(pk=moving)
        .filter(starts_at__lt=start + duration + rules.buffer, blocked_until__gt=start)
    )
    return not away.exists() and not busy.exists()


def _offset(wall: dt.time) -> dt.timedelta:
    """Time since midnight (the demo's hours never end at midnight)."""
    return dt.timedelta(hours=wall.hour, minutes=wall.minute, seconds=wall.second)


def now_for(start: dt.datetime, lead_hours: int | None) -> dt.datetime:
    return timezone.now() if lead_hours is None else start - dt.timedelta(hours=lead_hours)


# --- the machine ------------------------------------------------------------------------------


class Bookings(RuleBasedStateMachine):
    """Books, cancels, moves and double-clicks at random, checking each answer."""

    appointments = Bundle("appointments")

    def __init__(self):
        super().__init__()
        self.rules = Rules.load()
        self.services = {slug: Service.objects.get(slug=slug) for slug in SERVICES}
        self.practitioner_ids = sorted(Practitioner.objects.values_list("pk", flat=True))
        self.keys: dict[int, uuid.UUID] = {}

    # Each rule snapshots, acts, and checks the outcome against the rules worked out again.

    @rule(
        target=appointments,
        service=st.sampled_from(SERVICES),
        named=st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
        start=starts,
        lead_hours=leads,
        by_staff=st.booleans(),
    )
    def book(self, service, named, start, lead_hours, by_staff):
        """``named`` picks one of the practitioners who give the session; None is "first
        available", the first of them free at ``start``."""
        service = self.services[service]
        givers = selectors.practitioner_list_for_service(service=service)
        practitioner = None if named is None else givers[named % len(givers)]
        now = now_for(start, lead_hours)
        duration = dt.timedelta(minutes=service.duration_minutes)
        expected = next(
            (
                candidate.pk
                for candidate in ([practitioner] if practitioner else givers)
                if free_by_the_rules(
                    self.rules,
                    practitioner_id=candidate.pk,
                    start=start,
                    duration=duration,
                    now=now,
                    by_staff=by_staff,
                )
            ),
            None,
        )
        before = snapshot()
        key = uuid.uuid4()
        try:
            made = services.appointment_book(
                service=service,
                practitioner=practitioner,
                start=start,
                details=details(),
                # A phone booking may come without answers, but never one with electrical
                # stimulation (issue 27): staff book those with the caller's answers.
                answers=answers() if not by_staff or service.uses_electrical_stimulation else None,
                idempotency_key=key,
                now=now,
                by_staff=by_staff,
            )
        except services.BookingError:
            assert snapshot() == before, "a refused booking changed the database"
            assert expected is None, f"refused although free with practitioner {expected}"
            return multiple()
        assert expected is not None, f"booked {made.starts_at} although not free"
        assert made.practitioner_id == expected
        assert made.starts_at == start and made.ends_at == start + duration
        assert made.blocked_until == made.ends_at + self.rules.buffer
        self.keys[made.pk] = key
        return made.pk

    @rule(appointment=appointments)
    def click_twice(self, appointment):
        """The same confirmation sent again returns the same appointment, adds nothing."""
        before = snapshot()
        again = services.appointment_book(
            service=self.services["follow-up-treatment"],
            practitioner=None,
            start=timezone.now(),  # whatever it says, the key wins
            details=details(),
            answers=answers(),
            idempotency_key=self.keys[appointment],
        )
        assert again.pk == appointment
        assert snapshot() == before

    @rule(appointment=appointments, lead_hours=leads, by_staff=st.booleans())
    def cancel(self, appointment, lead_hours, by_staff):
        current = Appointment.objects.get(pk=appointment)
        now = now_for(current.starts_at, lead_hours)
        allowed = current.status == AppointmentStatus.CONFIRMED and (
            by_staff or current.starts_at - now >= self.rules.window
        )
        before = snapshot()
        try:
            services.appointment_cancel(appointment=current, now=now, by_staff=by_staff)
        except services.BookingError:
            assert snapshot() == before, "a refused cancellation changed the database"
            assert not allowed, "a cancellation that was allowed was refused"
            return
        assert allowed, "a cancellation that was not allowed went through"
        assert Appointment.objects.get(pk=appointment).status == AppointmentStatus.CANCELLED

    @rule(
        appointment=appointments,
        start=starts,
        lead_hours=leads,
        by_staff=st.booleans(),
    )
    def move(self, appointment, start, lead_hours, by_staff):
        current = Appointment.objects.get(pk=appointment)
        now = now_for(current.starts_at, lead_hours)
        allowed = (
            current.status == AppointmentStatus.CONFIRMED
            and (by_staff or current.starts_at - now >= self.rules.window)
            and free_by_the_rules(
                self.rules,
                practitioner_id=current.practitioner_id,
                start=start,
                duration=current.ends_at - current.starts_at,
                now=now,
                by_staff=by_staff,
                moving=current.pk,
            )
        )
        before = snapshot()
        try:
            services.appointment_reschedule(
                appointment=current, start=start, now=now, by_staff=by_staff
            )
        except services.BookingError:
            assert snapshot() == before, "a refused move changed the database"
            assert not allowed, f"a move to a free time was refused: {start}"
            return
        assert allowed, f"moved to {start} although it was not free"
        moved = Appointment.objects.get(pk=appointment)
        assert moved.starts_at == start
        assert moved.ends_at - moved.starts_at == current.ends_at - current.starts_at
        assert moved.blocked_until - moved.ends_at == current.blocked_until - current.ends_at

    @precondition(lambda self: TimeOff.objects.count() < 3)
    @rule(
        who=st.one_of(st.none(), st.integers(min_value=0, max_value=1)),
        start=starts,
        minutes=st.sampled_from([5, 30, 90, 240]),
    )
    def time_off(self, who, start, minutes):
        """Time off taken later does not cancel anything; it only refuses new bookings."""
        TimeOff.objects.create(
            practitioner_id=None if who is None else self.practitioner_ids[who],
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=minutes),
            reason="property test",
        )

    @invariant()
    def no_two_appointments_of_one_practitioner_overlap(self):
        assert_no_overlaps()


def forget_everything_booked(before: set[int]) -> None:
    made = Patient.objects.exclude(pk__in=before)
    Intake.objects.filter(appointment__patient__in=made).delete()
    Appointment.objects.filter(patient__in=made).delete()
    made.delete()
    TimeOff.objects.filter(reason="property test").delete()


class SequentialBookings(Bookings):
    """One example's bookings are undone before the next, in the same test transaction."""

    def teardown(self):
        forget_everything_booked(self.patients_before)

    def __init__(self):
        super().__init__()
        self.patients_before = set(Patient.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_random_bookings_cancellations_and_moves_never_overlap():
    run_state_machine_as_test(
        SequentialBookings,
        settings=settings(machine_settings, max_examples=40, stateful_step_count=25),
    )


# --- racing, on PostgreSQL --------------------------------------------------------------------


@dataclass(frozen=True)
class Contender:
    """One of the requests sent at the same moment: a booking, or a move of ``moving``."""

    start: dt.datetime
    named: int | None = None  # as in Bookings.book
    moving: int | None = None


def attempt_all(actions) -> list[tuple[str, object]]:
    """Runs every action at once, each on its own connection, and says how each ended."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[tuple[str, object] | None] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            try:
                outcomes[index] = ("done", action())
            except services.BookingError as refusal:
                outcomes[index] = ("refused", type(refusal).__name__)
            except Exception as error:  # anything else is a finding
                outcomes[index] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(outcome is not None for outcome in outcomes), "a request never finished"
    return outcomes


contenders = st.builds(
    Contender,
    start=st.builds(
        lambda day, minutes: local_start(day, dt.time(10)) + dt.timedelta(minutes=minutes),
        st.sampled_from(DAYS),
        st.sampled_from(range(0, 120, 15)),
    ),
    named=st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
)


class RacingBookings(Bookings):
    """The sequential rules, plus requests that arrive together, on committed data."""

    def __init__(self):
        super().__init__()
        self.patients_before = set(Patient.objects.values_list("pk", flat=True))

    def teardown(self):
        forget_everything_booked(self.patients_before)

    def _booking(self, contender: Contender, service: Service):
        givers = selectors.practitioner_list_for_service(service=service)
        practitioner = None if contender.named is None else givers[contender.named % len(givers)]
        patient = details()  # made here: the counter behind its email is not thread-safe

        def book():
            return services.appointment_book(
                service=service,
                practitioner=practitioner,
                start=contender.start,
                details=patient,
                answers=answers(),
                idempotency_key=uuid.uuid4(),
            ).pk

        return book, practitioner

    @rule(
        service=st.sampled_from(["follow-up-treatment", "electroacupuncture"]),
        crowd=st.lists(contenders, min_size=2, max_size=4),
        movers=st.lists(st.integers(min_value=0, max_value=50), max_size=2),
    )
    def race(self, service, crowd, movers):
        """Two to four bookings of nearby times, and up to two moves into them, at once."""
        service = self.services[service]
        live = list(
            Appointment.objects.filter(status=AppointmentStatus.CONFIRMED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        actions, asked = [], []
        for contender in crowd:
            action, practitioner = self._booking(contender, service)
            actions.append(action)
            asked.append((contender, practitioner))
        # Each appointment moves at most once per race: two moves of one appointment at once
        # both succeed, one after the other, and only the last one's time remains.
        picked = list(dict.fromkeys(live[pick % len(live)] for pick in movers)) if live else []
        for index, pk in enumerate(picked):
            moving = Appointment.objects.get(pk=pk)
            start = crowd[index % len(crowd)].start
            actions.append(
                lambda moving=moving, start=start: (
                    services.appointment_reschedule(appointment=moving, start=start).pk
                )
            )
            asked.append((Contender(start=start, moving=moving.pk), None))
        outcomes = attempt_all(actions)

        assert [o for o in outcomes if o[0] == "error"] == [], outcomes
        assert_no_overlaps()
        moved = any(contender.moving for contender, _ in asked)
        for (contender, practitioner), (how, result) in zip(asked, outcomes, strict=True):
            if how == "done" and contender.moving is None:
                made = Appointment.objects.get(pk=result)
                self.keys[made.pk] = made.idempotency_key
                assert made.starts_at == contender.start
                assert practitioner is None or made.practitioner_id == practitioner.pk
            elif how == "done":
                assert Appointment.objects.get(pk=result).starts_at == contender.start
            elif practitioner is not None and not moved:
                # Bookings only add: whatever won the time still holds it. (A move may free
                # the time it leaves, and "first available" may lose the race for one
                # practitioner while another is free: both are refusals a patient can retry.)
                assert not free_by_the_rules(
                    self.rules,
                    practitioner_id=practitioner.pk,
                    start=contender.start,
                    duration=dt.timedelta(minutes=service.duration_minutes),
                    now=timezone.now(),
                    by_staff=False,
                ), f"{contender} was refused although the time is still free"


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="racing connections need PostgreSQL (SQLite serialises writers; the in-memory "
    "test database is one connection)",
)
# Real commits, so that each thread's connection sees the others' work; afterwards the
# tables are emptied and the demo practice restored from its snapshot (tests/conftest.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bookings_and_moves_racing_each_other_never_overlap():
    run_state_machine_as_test(
        RacingBookings,
        settings=settings(machine_settings, max_examples=15, stateful_step_count=15),
    )


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks and deadlocks are PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_move_and_a_booking_into_the_same_time_do_not_deadlock(monkeypatch):
    """Found by the racing machine. A move used to lock its practitioner's row too (FOR UPDATE
    over the joined tables); a booking for that practitioner then waited on it to check its
    foreign key, while the move waited on the booking's new row to check the overlap: a
    deadlock, and an error for one of the two patients instead of "just taken"."""
    monday = DAYS[0]
    moving = book(start=local_start(monday, dt.time(10)), service="follow-up-treatment")
    target = local_start(monday, dt.time(11))
    real_check = services._practitioner_free_at
    locked, go_on = threading.Event(), threading.Event()

    def move_pauses_after_locking(**kwargs):
        if kwargs.get("moving") is not None:
            locked.set()
            go_on.wait(timeout=10)
        return real_check(**kwargs)

    monkeypatch.setattr(services, "_practitioner_free_at", move_pauses_after_locking)
    move = lambda: services.appointment_reschedule(appointment=moving, start=target).pk  # noqa: E731
    booking = lambda: book(start=target, service="follow-up-treatment").pk  # noqa: E731
    outcomes = {}

    def run(name, action):
        try:
            outcomes[name] = ("done", action())
        except services.BookingError as refusal:
            outcomes[name] = ("refused", type(refusal).__name__)
        except Exception as error:
            outcomes[name] = ("error", repr(error))
        finally:
            connections.close_all()

    mover = threading.Thread(target=run, args=("move", move))
    mover.start()
    assert locked.wait(timeout=10)
    booker = threading.Thread(target=run, args=("booking", booking))
    booker.start()
    booker.join(timeout=3)  # it finishes here, unless it waits on the move's lock
    go_on.set()
    mover.join(timeout=30)
    booker.join(timeout=30)

    assert outcomes["booking"][0] == "done", outcomes
    assert outcomes["move"] == ("refused", "SlotTaken"), outcomes
    assert_no_overlaps()
