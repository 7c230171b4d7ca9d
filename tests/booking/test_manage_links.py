"""Manage links have a secret of their own: a calendar UID (or SECRET_KEY) opens nothing,
links sent before the change still open, and no secret is kept or logged in the clear."""

import datetime as dt
import importlib
import logging
import re

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils.module_loading import import_string

from booking import emails, tasks
from booking.manage_links import appointment_for_token, manage_link_create, manage_links_purge
from booking.models import ManageLink
from booking.tokens import legacy_manage_token, secret_hash
from booking.uids import appointment_uid
from practice.settings import base
from tests.clock import local, next_weekday
from tests.factories.bookings import book

MONDAY = next_weekday(0)
DEMO_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # practice/settings/dev.py
LINK = re.compile(r"/book/appointment/([^/\s\"]+)/")
migration = importlib.import_module("booking.migrations.0019_manage_links")


@pytest.fixture
def appointment():
    return book(start=local(MONDAY, 10))


def opens(client, token: str) -> int:
    return client.get(reverse("booking:manage", args=[token])).status_code


def emailed_token(appointment, kind="confirmed") -> str:
    return LINK.search(emails.patient_email(appointment, kind).body)[1]


@pytest.mark.django_db
def test_a_link_forged_from_the_calendar_uid_with_the_demo_key_opens_nothing(
    client, settings, appointment
):
    settings.SECRET_KEY = DEMO_SECRET_KEY
    # What a feed or an emailed .ics file gives away: the UID, hence the public id.
    uid = appointment_uid(appointment.public_id, "cedarstreet.example")
    public_id = re.fullmatch(r"appointment-([0-9a-f-]{36})@.*", uid)[1]
    forged = legacy_manage_token(appointment.public_id)  # the old link, made by anyone
    for attempt in [forged, public_id, appointment.public_id.hex]:
        assert opens(client, attempt) == 404
    assert opens(client, emailed_token(appointment)) == 200


@pytest.mark.django_db
def test_links_sent_before_the_migration_still_open_until_their_time(client, appointment):
    long_ago = local(MONDAY, 10) - dt.timedelta(weeks=17)
    with time_machine.travel(long_ago - dt.timedelta(days=7)):
        past = book(start=long_ago)
    sent_before = legacy_manage_token(appointment.public_id)  # in an email already out
    assert opens(client, sent_before) == 404  # no row yet: the migration makes it

    migration.hash_links_already_sent(apps, None)

    assert opens(client, sent_before) == 200
    assert client.get(reverse("booking:cancel", args=[sent_before])).status_code == 200
    row = ManageLink.objects.get(appointment=appointment)
    assert row.migrated and row.token_hash == secret_hash(sent_before)
    assert not ManageLink.objects.filter(appointment=past).exists()  # long expired anyway
    with time_machine.travel(appointment.ends_at + dt.timedelta(days=31)):
        assert opens(client, sent_before) == 404


@pytest.mark.django_db
def test_each_email_carries_a_new_link_and_every_one_opens(client, appointment):
    confirmation = emailed_token(appointment)
    reminder = emailed_token(appointment, "reminder")
    assert confirmation != reminder and len(confirmation) >= 43
    assert opens(client, confirmation) == 200 and opens(client, reminder) == 200
    # Only hashes are kept: no stored value is a secret.
    stored = set(ManageLink.objects.values_list("token_hash", flat=True))
    assert stored == {secret_hash(confirmation), secret_hash(reminder)}
    assert str(appointment.public_id) not in confirmation + reminder


@pytest.mark.django_db
def test_another_appointments_link_opens_only_its_own(appointment):
    other = book(start=local(MONDAY, 14))
    assert appointment_for_token(manage_link_create(appointment=other)) == other
    assert appointment_for_token("") is None and appointment_for_token("x" * 500) is None


@pytest.mark.django_db
def test_the_nightly_purge_deletes_links_once_they_can_no_longer_open(appointment):
    manage_link_create(appointment=appointment)
    with time_machine.travel(appointment.ends_at + dt.timedelta(days=29)):
        assert manage_links_purge() == 0
    with time_machine.travel(appointment.ends_at + dt.timedelta(days=31)):
        assert manage_links_purge() == 1


@pytest.mark.django_db
def test_no_link_secret_reaches_a_log(client, caplog, appointment):
    # caplog behind the mask production's LOGGING puts on every handler.
    mask = import_string(base.LOGGING["filters"]["token_mask"]["()"])()
    caplog.handler.addFilter(mask)
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=24)):
        tasks.send_reminder.call(
            appointment_id=appointment.pk, starts_at=appointment.starts_at.isoformat()
        )
    token = LINK.search(mail.outbox[-1].body)[1]
    assert opens(client, token) == 200
    for _ in range(20):  # then this address is blocked for wrong links (429, logged)...
        opens(client, token[::-1])
    assert opens(client, token[::-1]) == 429
    assert opens(client, token) == 200  # ...while the real link still opens
    with time_machine.travel(appointment.ends_at + dt.timedelta(days=31)):
        assert opens(client, token) == 404  # a real link, past its time
    assert "Not Found: /book/appointment/…/" in caplog.text
    assert token not in caplog.text
