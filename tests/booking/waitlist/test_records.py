"""The waiting list beside the rest of the record: the grace period on the real task queue,
the patient's export and erasure, and the broadcast mode's claim moving a booking."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking import services as booking_services
from booking.models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    OfferOutcome,
    WaitlistEntry,
    WaitlistOffer,
)
from booking.privacy import patient_export
from booking.privacy.erasure import patient_erase
from booking.waitlist import claims
from tests.clock import local
from tests.factories.bookings import answers, book, details

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.django_db
OFFER_TASK = "booking.waitlist.tasks.offer_freed_time"


@pytest.fixture
def database_queue(settings, monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_freed_time_waits_for_the_grace_period_on_the_real_queue(
    database_queue, settings, django_capture_on_commit_callbacks
):
    settings.WAITLIST_GRACE_MINUTES = 5
    booked = full_morning()
    join()
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    [queued] = DBTaskResult.objects.filter(task_path=OFFER_TASK)
    wait = queued.run_after - timezone.now()
    assert dt.timedelta(minutes=4) < wait <= dt.timedelta(minutes=5)
    assert not Appointment.with_holds.filter(status=AppointmentStatus.HELD).exists()


def held_for(django_capture_on_commit_callbacks, **join_fields):
    booked = full_morning()
    entry = join(**join_fields)
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    return entry


def test_the_export_holds_the_waiting_list_and_its_offers(django_capture_on_commit_callbacks):
    entry = held_for(
        django_capture_on_commit_callbacks,
        details=details(email="ada@example.com"),
        answers=answers(worse="Stairs"),
    )
    [listed] = patient_export(entry.patient)["waiting_list"]
    assert listed["status"] == "offered" and listed["offers"][0]["outcome"] == "pending"
    assert {"question": "What makes it worse?", "answer": "Stairs"} in listed["answers"]
    assert patient_export(entry.patient)["appointments"] == []  # a hold is no appointment


def test_erasure_removes_the_entries_and_releases_a_held_time(
    django_capture_on_commit_callbacks,
):
    entry = held_for(django_capture_on_commit_callbacks)
    patient_erase(entry.patient, by=None)
    assert not WaitlistEntry.objects.exists()
    assert not Appointment.with_holds.filter(status=AppointmentStatus.HELD).exists()
    assert book(start=local(MONDAY, 10)).status == AppointmentStatus.CONFIRMED


def test_a_claim_told_to_everyone_also_moves_the_booking(django_capture_on_commit_callbacks):
    policy = BookingPolicy.load()
    policy.waitlist_broadcast, policy.minimum_notice_hours = True, 0
    policy.save()
    booked = full_morning()
    email = "mover@example.com"
    later = book(start=local(MONDAY, 15, 30), patient=details(email=email))
    mover = join(details=details(email=email), move_appointment=later)
    rival = join(details=details(email="rival@example.com"))
    with time_machine.travel(local(MONDAY, 8), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
        offer = WaitlistOffer.objects.get(entry=mover)
        assert offer.broadcast and WaitlistOffer.objects.filter(entry=rival).exists()
        with django_capture_on_commit_callbacks(execute=True):
            claims.offer_claim(offer=offer)
    later.refresh_from_db()
    assert later.status == AppointmentStatus.CANCELLED
    told = WaitlistOffer.objects.get(entry=rival, starts_at=local(MONDAY, 10))
    assert told.outcome == OfferOutcome.GONE and told.gone_sent_at is not None
    # The moved booking's time went on to the rival, held for them this time.
    assert WaitlistOffer.objects.get(entry=rival, starts_at=local(MONDAY, 15, 30)).hold_id
