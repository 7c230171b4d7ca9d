"""The waiting list's services on the database: joining, a freed time held for one patient,
claiming, declining, the sweep, and the emails sent once."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from booking import services as booking_services
from booking.contracts import BookingError
from booking.courses import services as course_services
from booking.courses.selectors import Scope
from booking.models import (
    Appointment,
    AppointmentStatus,
    OfferOutcome,
    TimeOff,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
    WorkingHours,
)
from booking.waitlist import claims, email_tasks, services
from tests.clock import local
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the offers and their emails) as the test goes."""
    with django_capture_on_commit_callbacks(execute=True):
        yield


def cancel(appointment, commits_now):
    with commits_now(execute=True):
        booking_services.appointment_cancel(appointment=appointment, by_staff=True)


def held() -> list[Appointment]:
    return list(Appointment.with_holds.filter(status=AppointmentStatus.HELD))


def test_a_red_flag_stops_joining_as_it_stops_a_booking():
    with pytest.raises(BookingError):
        join(answers=answers(red_bladder="yes"))
    assert not WaitlistEntry.objects.exists()


def test_joining_sends_an_email_with_the_link_to_the_entry(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry = join()
    [message] = mail.outbox
    assert message.to == [entry.patient.email]
    assert message.subject.endswith("You are on the waiting list")
    assert "Follow-up treatment with Rosa Lind" in message.body
    link = re.search(r"See your place on the list, or leave it: (\S+)", message.body).group(1)
    assert "/book/waiting-list/" in link
    html = message.alternatives[0][0]
    assert link in html


def test_joining_needs_an_email_address():
    with pytest.raises(BookingError):
        join(details=details(email=""))


def test_joining_again_leaves_the_first_entry_and_offers_one_time_at_a_time(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    first = join(details=details(email="ada@example.com"))
    again = join(details=details(email="ada@example.com"), parts_of_day=["morning"])
    first.refresh_from_db()
    assert first.status == WaitlistStatus.WAITING and first.answers  # untouched
    for appointment in booked[:2]:
        cancel(appointment, django_capture_on_commit_callbacks)
    # Two times free, two entries of hers: she holds one of them, never both.
    [hold] = held()
    assert hold.hold_for in (first, again)


def test_a_cancelled_time_is_held_for_the_first_entry_only(django_capture_on_commit_callbacks):
    booked = full_morning()
    first = join(details=details(email="first@example.com"))
    join(details=details(email="second@example.com"))
    mail.outbox.clear()
    cancel(booked[1], django_capture_on_commit_callbacks)

    [hold] = held()
    assert hold.hold_for == first and hold.starts_at == local(MONDAY, 10)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    offers = [m for m in mail.outbox if m.to == ["first@example.com"]]
    assert len(offers) == 1 and "Rosa Lind" in offers[0].body and "/claim/" in offers[0].body
    assert not [m for m in mail.outbox if m.to == ["second@example.com"]]
    assert not offers[0].attachments  # the calendar file comes with the booking
    [(html, kind)] = offers[0].alternatives
    assert kind == "text/html" and "Rosa Lind" in html
    claim = re.search(r'href="([^"]*/claim/[^"]*)"', html).group(1)
    assert claim in offers[0].body  # the same private link in both parts


def test_a_held_time_is_not_an_appointment_anywhere_and_cannot_be_booked(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    entry = join()
    cancel(booked[1], django_capture_on_commit_callbacks)
    assert not Appointment.objects.filter(status=AppointmentStatus.HELD).exists()
    assert not entry.patient.appointments.exists()
    with pytest.raises(booking_services.SlotTaken):
        book(start=local(MONDAY, 10))
    with pytest.raises(booking_services.SlotTaken):
        book(start=local(MONDAY, 10), by_staff=True, intake=None)


def test_claiming_turns_the_hold_into_the_appointment_with_its_intake(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    entry = join(details=details(email="ada@example.com"))
    cancel(booked[1], django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=entry)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = claims.offer_claim(offer=offer)
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.intake.answers == answers().answers
    assert entry.patient.appointments.get() == appointment
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED and entry.answers == {}
    confirmation = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert [a[0] for a in confirmation[0].attachments] == ["appointment.ics"]
    with pytest.raises(claims.OfferGone):
        claims.offer_claim(offer=offer)  # a second click finds nothing held


def test_an_expired_hold_cannot_be_claimed_and_the_next_entry_gets_it(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    first = join(details=details(email="first@example.com"))
    second = join(details=details(email="second@example.com"))
    cancel(booked[1], django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)
    later = offer.expires_at + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        with pytest.raises(claims.OfferGone):
            claims.offer_claim(offer=offer)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.holds_release_expired() == 1
    offer.refresh_from_db()
    assert offer.outcome == OfferOutcome.EXPIRED
    [hold] = held()
    assert hold.hold_for == second
    first.refresh_from_db()
    assert first.status == WaitlistStatus.WAITING  # still on the list
    assert Appointment.with_holds.filter(hold_for=first).count() == 0  # no phantom row


def test_declining_gives_the_time_to_the_next_at_once(django_capture_on_commit_callbacks):
    booked = full_morning()
    first = join()
    second = join()
    cancel(booked[1], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert claims.offer_decline(offer=WaitlistOffer.objects.get(entry=first))
    [hold] = held()
    assert hold.hold_for == second
    # Declined once, that time is never offered to the same entry again.
    with django_capture_on_commit_callbacks(execute=True):
        claims.offer_decline(offer=WaitlistOffer.objects.get(entry=second))
    assert held() == []


def test_a_time_booked_again_within_the_grace_period_is_offered_to_nobody():
    booked = full_morning()
    join()
    # Cancelled and at once booked again (a staff correction), before the task runs.
    booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    book(start=local(MONDAY, 10))
    assert (
        services.time_freed(
            practitioner_id=practitioner().pk, start=local(MONDAY, 10), end=local(MONDAY, 11)
        )
        == []
    )
    assert held() == []


def test_claiming_moves_the_patients_later_appointment_which_frees_it_for_the_next(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    later = book(start=local(MONDAY, 15, 30), patient=details(email="mover@example.com"))
    mover = join(details=details(email="mover@example.com"), move_appointment=later)
    afternoon = join(details=details(email="next@example.com"), parts_of_day=["afternoon"])
    # Rosa's afternoon is otherwise full, so that only 15:30 comes free.
    for hour in (13, 14, 16):
        book(start=local(MONDAY, hour, 30))
    cancel(booked[1], django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=mover)
    with django_capture_on_commit_callbacks(execute=True):
        claims.offer_claim(offer=offer)
    later.refresh_from_db()
    assert later.status == AppointmentStatus.CANCELLED
    [hold] = held()
    assert hold.hold_for == afternoon and hold.starts_at == local(MONDAY, 15, 30)


def test_the_sweep_ends_old_entries_and_tells_each_patient_once():
    entry = join(details=details(email="old@example.com"))
    with time_machine.travel(entry.expires_at + dt.timedelta(minutes=1)):
        services.holds_release_expired()
        services.holds_release_expired()
        email_tasks.send_expiry_email.enqueue(entry_id=entry.pk)  # a second worker's copy
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED and entry.answers == {}
    assert len([m for m in mail.outbox if m.to == ["old@example.com"]]) == 1


def test_an_offer_email_is_sent_once_even_if_queued_twice(django_capture_on_commit_callbacks):
    booked = full_morning()
    entry = join(details=details(email="ada@example.com"))
    cancel(booked[1], django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=entry)
    assert email_tasks.send_offer_email.call(offer_id=offer.pk) == "sent already"
    assert len([m for m in mail.outbox if m.to == ["ada@example.com"]]) == 1


def test_booking_the_service_oneself_takes_one_off_the_list(django_capture_on_commit_callbacks):
    entry = join(details=details(email="ada@example.com"))
    with django_capture_on_commit_callbacks(execute=False) as pending:
        book(start=local(MONDAY, 15), patient=details(email="ada@example.com"))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING  # the booking's transaction is the core's own
    for callback in pending:
        callback()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED


def test_a_course_session_moved_away_frees_its_old_time_for_the_list(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    entry = join(details=details(email="first@example.com"))
    course_services.course_book(
        appointment=booked[1], every_weeks=1, planned=0, choices=[]
    )  # the 10:00 booking starts a course
    with django_capture_on_commit_callbacks(execute=True):
        outcome = course_services.course_move(
            appointment=booked[1], scope=Scope.THIS, start=local(MONDAY, 14)
        )

    assert [session.pk for session in outcome.moved] == [booked[1].pk]
    [hold] = held()
    assert hold.hold_for == entry and hold.starts_at == local(MONDAY, 10)


def test_withdrawing_releases_a_held_time(django_capture_on_commit_callbacks):
    booked = full_morning()
    first = join()
    cancel(booked[1], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.entry_withdraw(entry=first)
    assert held() == []
    assert book(start=local(MONDAY, 10)).status == AppointmentStatus.CONFIRMED


def test_time_off_removed_or_shortened_offers_what_it_covered(
    django_capture_on_commit_callbacks,
):
    first, second, third = join(), join(), join()
    with django_capture_on_commit_callbacks(execute=True):
        away = TimeOff.objects.create(
            practitioner=practitioner(), starts_at=local(MONDAY, 8), ends_at=local(MONDAY, 19)
        )
    assert held() == []
    with django_capture_on_commit_callbacks(execute=True):
        away.ends_at = local(MONDAY, 16)
        away.save()
    # 16:00 to 18:00 came free: two times, each held for the next entry in line.
    assert {(h.hold_for, h.starts_at) for h in held()} == {
        (first, local(MONDAY, 16)),
        (second, local(MONDAY, 17)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        away.delete()
    assert Appointment.with_holds.get(hold_for=third).starts_at == local(MONDAY, 9)


def test_a_held_time_that_time_off_took_meanwhile_cannot_be_claimed(
    django_capture_on_commit_callbacks,
):
    booked = full_morning()
    entry = join()
    cancel(booked[1], django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=entry)
    TimeOff.objects.create(
        practitioner=practitioner(), starts_at=local(MONDAY, 10), ends_at=local(MONDAY, 11)
    )
    with pytest.raises(claims.OfferGone):
        claims.offer_claim(offer=offer)
    assert Appointment.with_holds.get(pk=offer.hold_id).status == AppointmentStatus.HELD


def test_hours_extended_offer_the_new_time(django_capture_on_commit_callbacks):
    sunday = MONDAY + dt.timedelta(days=6)  # Rosa never works on Sundays
    entry = join(day=sunday)
    with django_capture_on_commit_callbacks(execute=True):
        WorkingHours.objects.create(
            practitioner=practitioner(),
            weekday=6,
            start_time=dt.time(10),
            end_time=dt.time(12),
        )
    [hold] = held()
    assert hold.hold_for == entry and hold.starts_at == local(sunday, 10)
