"""The screening flags are encrypted with the answers: a database dump without the key
shows what the schedule needs (the rules the flags set), never the flags themselves.
Appointments flagged before this change were converted."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from booking.models import Appointment
from booking.privacy.retention import intakes_purge_expired
from tests.clock import local
from tests.factories.bookings import answers, book

from .staff.shared import MONDAY

pytestmark = pytest.mark.django_db

SPECIFIC = ["pregnancy", "weak_immunity", "iv_drugs"]


def _column(appointment, name: str) -> str:
    """A column as a dump shows it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM booking_appointment WHERE id = %s", [appointment.pk])
        return str(cursor.fetchone()[0])


def _stored(appointment) -> tuple[str, str]:
    return _column(appointment, "flags"), _column(appointment, "precautions")


@pytest.fixture
def flagged():
    return book(
        start=local(MONDAY, 10),
        intake=answers(screen_pregnancy="yes", screen_weak_immunity="yes"),
    )


def test_a_dump_without_the_key_shows_the_rules_and_never_the_flags(flagged):
    assert flagged.flags == ["pregnancy", "weak_immunity"]
    flags, precautions = _stored(flagged)
    for specific in SPECIFIC:
        assert specific not in flags and specific not in precautions
    assert flags.startswith("gAAAA")  # a Fernet token
    assert "no_electrical" in precautions and "no_moxibustion" in precautions
    assert "check_with_patient" in precautions


def test_the_schedule_reads_the_rules_without_the_flags(admin_client, flagged):
    plain = book(start=local(MONDAY, 14))
    listed = Appointment.objects.defer("flags").get(pk=flagged.pk)
    assert listed.is_flagged and "No electrical stimulation" in listed.rules
    assert not Appointment.objects.defer("flags").get(pk=plain.pk).is_flagged
    page = admin_client.get(reverse("booking_appointment:index"), {"flagged": "true"})
    assert page.status_code == 200
    assert list(page.context["object_list"]) == [listed]


def test_changing_the_flags_changes_the_rules(flagged):
    flagged.flags = ["implant"]
    flagged.save(update_fields=["flags"])
    flagged.refresh_from_db()
    assert flagged.precautions == ["no_electrical"]
    flagged.flags = []
    flagged.save()
    assert Appointment.objects.get(pk=flagged.pk).precautions == []


def test_retention_clears_the_flags_and_the_rules_together(flagged, settings):
    settings.INTAKE_RETENTION_YEARS = 1
    intakes_purge_expired(flagged.starts_at + dt.timedelta(days=800))
    flagged.refresh_from_db()
    assert (flagged.flags, flagged.precautions) == ([], [])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flags_stored_in_plain_text_before_were_sealed(flagged):
    before = [("booking", "0016_note_kinds")]
    after = MigrationExecutor(connection).loader.graph.leaf_nodes()  # back to the latest
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("booking", "Appointment")
        old._base_manager.filter(pk=flagged.pk).update(flags=SPECIFIC)
        assert "iv_drugs" in _column(flagged, "flags")
    finally:
        MigrationExecutor(connection).migrate(after)
    assert not any(specific in _column(flagged, "flags") for specific in SPECIFIC)
    sealed = Appointment.objects.get(pk=flagged.pk)
    assert sealed.flags == SPECIFIC
    assert "no_electrical" in sealed.precautions
