"""The booking service's changes: cancelling and rescheduling keep the schedule's rules."""

import datetime as dt

import pytest

from booking import services
from booking.models import AppointmentStatus
from tests.clock import local, next_weekday
from tests.factories.bookings import book

MONDAY = next_weekday(0)


@pytest.mark.django_db
def test_cancelling_frees_the_time_at_once():
    appointment = book(start=local(MONDAY, 10))
    services.appointment_cancel(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.sequence == 1
    assert book(start=local(MONDAY, 10)).status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_rescheduling_moves_in_one_step_and_frees_the_old_time():
    appointment = book(start=local(MONDAY, 10))
    moved = services.appointment_reschedule(appointment=appointment, start=local(MONDAY, 10, 15))
    assert moved.starts_at == local(MONDAY, 10, 15)  # may overlap its own old time
    assert moved.ends_at == local(MONDAY, 11, 5)
    assert moved.sequence == 1
    blocker = book(start=local(MONDAY, 14))
    with pytest.raises(services.SlotTaken):
        services.appointment_reschedule(appointment=moved, start=local(MONDAY, 14))
    moved.refresh_from_db()
    assert moved.starts_at == local(MONDAY, 10, 15)
    assert blocker.starts_at == local(MONDAY, 14)


@pytest.mark.django_db
def test_patients_cannot_change_inside_the_cancellation_window():
    appointment = book(start=local(MONDAY, 10))
    late = local(MONDAY, 10) - dt.timedelta(hours=23)
    with pytest.raises(services.TooLateToChange):
        services.appointment_cancel(appointment=appointment, now=late)
    with pytest.raises(services.TooLateToChange):
        services.appointment_reschedule(appointment=appointment, start=local(MONDAY, 14), now=late)
    assert services.appointment_cancel(appointment=appointment, now=late, by_staff=True)


@pytest.mark.django_db
def test_a_cancelled_appointment_is_no_longer_active_to_move_or_cancel_even_when_late():
    """Both changes check the status first, then the window: too late is not the reason."""
    appointment = book(start=local(MONDAY, 10))
    services.appointment_cancel(appointment=appointment)
    late = local(MONDAY, 10) - dt.timedelta(hours=23)
    for change in [
        lambda: services.appointment_reschedule(
            appointment=appointment, start=local(MONDAY, 14), now=late
        ),
        lambda: services.appointment_cancel(appointment=appointment, now=late),
    ]:
        with pytest.raises(services.BookingError, match="no longer active") as refused:
            change()
        assert not isinstance(refused.value, services.TooLateToChange)
