"""Fixtures of the privacy tests: the staff who look, Nora's history, a real task queue."""

import datetime as dt

import pytest

from booking.access import record_intake_view
from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Practitioner,
)
from tests.clock import local
from tests.factories.staff import staff_member

from .people import MARKER, MONDAY, visit


@pytest.fixture
def desk():
    return staff_member("desk", FRONT_DESK, first_name="Desk")


@pytest.fixture
def rosa():
    user = staff_member("rosa-test", PRACTITIONER, first_name="Mei-Test")
    Practitioner.objects.filter(profile__slug="rosa-lind").update(user=user)
    return user


@pytest.fixture
def admin_user_named(admin_user):
    admin_user.first_name, admin_user.last_name = "Ann", "Admin"
    admin_user.save()
    return admin_user


@pytest.fixture
def history(rosa):
    """Nora: a completed visit last year with an intake and a note, and one to come."""
    past = visit(
        local(dt.date(2025, 11, 3), 10),
        screen_blood_thinners="yes",
        medications=MARKER,
        pain_areas=["neck"],
    )
    Appointment.objects.filter(pk=past.pk).update(status=AppointmentStatus.COMPLETED)
    AppointmentNote.objects.create(appointment=past, author=rosa, text=f"Needled gently {MARKER}")
    record_intake_view(rosa, past)
    upcoming = visit(local(MONDAY, 10), medications=MARKER)
    return past, upcoming


@pytest.fixture
def _keep_the_test_connection(monkeypatch):
    # The worker closes connections it thinks are stale; here it shares the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def database_queue(settings, _keep_the_test_connection):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
