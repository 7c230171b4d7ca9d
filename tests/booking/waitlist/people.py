"""Shared by the waiting list's tests: a full morning to free a time in, and a patient
joining the list as the site lets them."""

import datetime as dt

from booking.models import Service
from booking.waitlist import services
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner

MONDAY = next_weekday(0)


def full_morning(day: dt.date = MONDAY) -> list:
    """Rosa's morning of ``day`` booked solid: 9:00, 10:00 and 11:00 (50 minutes and the
    buffer each); the 12:00 time would end after her lunch break begins."""
    return [book(start=local(day, hour)) for hour in (9, 10, 11)]


def join(*, day: dt.date = MONDAY, service: str = "follow-up-treatment", **overrides):
    """An entry for ``service`` with Rosa on ``day``, any time of it."""
    values = {
        "service": Service.objects.get(slug=service),
        "practitioner": practitioner(),
        "earliest": day,
        "latest": day,
        "weekdays": [],
        "parts_of_day": [],
        "details": details(),
        "answers": answers(),
    }
    values.update(overrides)
    return services.waitlist_join(**values)
