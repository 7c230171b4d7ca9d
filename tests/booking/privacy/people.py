"""Nora, the patient whose records the privacy tests export, erase and keep or let go."""

import datetime as dt
from collections import Counter

from django.core.management import call_command
from django.db.models.functions import TruncMonth

from booking.models import Appointment
from tests.clock import TZ, next_weekday
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner

MARKER = "HERON-PRIVACY-MARKER"
MONDAY = next_weekday(0)
TUESDAY = next_weekday(1)
PURGE_TASK = "booking.tasks.purge_expired_intakes"


def nora(**overrides):
    values = {"first_name": "Nora", "last_name": "Quill", "email": "nora.quill@example.com"}
    values.update(overrides)
    return details(**values)


def visit(start, *, patient=None, service="follow-up-treatment", who=None, **intake):
    """A booking at ``start``, made a week before it (so past dates can be booked too)."""
    return book(
        start=start,
        service=service,
        who=who or practitioner(),
        patient=patient or nora(),
        intake=answers(**intake),
        now=start - dt.timedelta(days=7),
    )


def counts():
    """What the practice's statistics read: bookings per service, practitioner and month."""
    rows = Appointment.objects.annotate(month=TruncMonth("starts_at", tzinfo=TZ)).values_list(
        "service_id", "practitioner_id", "month"
    )
    return Counter(rows)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
