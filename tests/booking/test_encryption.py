"""Intake answers and staff notes are ciphertext in the database and in the session
store, read back through the model, and survive a key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from booking import encryption
from booking.checks import intake_key_reads_stored_answers
from booking.key_rotation import reencrypt_all
from booking.models import AppointmentNote, Intake
from tests.booking.walk import details_data, intake_data, walk_to_review
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book

pytestmark = pytest.mark.django_db

MARKER = "zq-marker-7Hw2-sciatica-left-leg"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def booked_with_marker(hour: int = 10):
    return book(
        start=local(next_weekday(1), hour),
        intake=answers(worse=f"Bending over, {MARKER}"),
    )


def test_answers_and_pain_score_are_ciphertext_in_the_database():
    appointment = booked_with_marker()
    intake = Intake.objects.get(appointment=appointment)

    raw_answers = stored("booking_intake", "answers", intake.pk)
    raw_score = stored("booking_intake", "pain_score", intake.pk)
    assert MARKER not in raw_answers
    assert "screen_" not in raw_answers
    assert raw_score != "5"
    assert raw_answers.startswith("gAAAAA")  # a Fernet token

    assert intake.answers["worse"] == f"Bending over, {MARKER}"
    assert intake.pain_score == 5


def test_staff_notes_are_ciphertext_in_the_database():
    appointment = booked_with_marker()
    note = AppointmentNote.objects.create(appointment=appointment, text=f"Tender at L4 {MARKER}")

    assert MARKER not in stored("booking_appointmentnote", "text", note.pk)
    assert AppointmentNote.objects.get(pk=note.pk).text == f"Tender at L4 {MARKER}"


def test_the_same_answers_never_give_the_same_ciphertext():
    first = Intake.objects.get(appointment=booked_with_marker(10))
    second = Intake.objects.get(appointment=booked_with_marker(15))
    assert first.answers == second.answers
    assert stored("booking_intake", "answers", first.pk) != stored(
        "booking_intake", "answers", second.pk
    )


def test_the_database_cannot_be_asked_about_encrypted_values():
    with pytest.raises(FieldError):
        list(Intake.objects.filter(pain_score=5))
    assert Intake.objects.filter(answers__isnull=True).count() == 0


def test_answers_typed_during_booking_are_ciphertext_in_the_session_store(client):
    # A name no ciphertext spells by chance ("Ada" is three base64 letters: about one
    # session in a hundred held it somewhere in its tokens).
    name = "Adazqmarkerseven"
    walk_to_review(
        client,
        details=details_data(first_name=name),
        answers=intake_data(worse=f"Lifting boxes, {MARKER}"),
    )

    session = Session.objects.get(session_key=client.session.session_key)
    assert MARKER not in session.session_data
    decoded = session.get_decoded()
    assert MARKER not in repr(decoded)
    assert name not in repr(decoded)  # the details are sealed too
    # ... and the steps still read them back.
    assert name in client.get("/book/review/").content.decode()
    assert "Lifting boxes" in client.get("/book/health-questions/").content.decode()


def test_rotation_old_rows_still_read_new_writes_use_the_new_key(settings):
    settings.INTAKE_ENCRYPTION_KEYS = [OLD_KEY]
    old = Intake.objects.get(appointment=booked_with_marker(10))

    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert Intake.objects.get(pk=old.pk).answers["worse"].endswith(MARKER)
    new = Intake.objects.get(appointment=booked_with_marker(15))
    assert encryption.uses_newest_key(stored("booking_intake", "answers", new.pk))
    assert not encryption.uses_newest_key(stored("booking_intake", "answers", old.pk))

    # Without the old key, the old row cannot be read: rotation needs the re-encryption.
    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(encryption.UndecryptableValue):
        Intake.objects.get(pk=old.pk)


def test_reencrypt_command_moves_every_row_to_the_newest_key(settings, capsys):
    settings.INTAKE_ENCRYPTION_KEYS = [OLD_KEY]
    appointment = booked_with_marker()
    note = AppointmentNote.objects.create(appointment=appointment, text=f"Note {MARKER}")
    intake_pk = Intake.objects.get(appointment=appointment).pk

    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("reencrypt_intakes", batch_size=1)
    printed = capsys.readouterr().out
    assert "Intake answers: 1 re-encrypted" in printed
    assert "Staff notes: 1 re-encrypted" in printed
    assert "Screening flags: 1 re-encrypted" in printed  # the appointment's sealed flags
    assert MARKER not in printed

    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone; everything reads
    assert Intake.objects.get(pk=intake_pk).answers["worse"].endswith(MARKER)
    assert AppointmentNote.objects.get(pk=note.pk).text == f"Note {MARKER}"

    # A second run has nothing left to do.
    assert reencrypt_all() == {
        "Intake answers": (0, 1),
        "Staff notes": (0, 1),
        "Screening flags": (0, 1),
    }


def test_keys_that_are_missing_or_malformed_stop_with_a_clear_message(settings):
    settings.INTAKE_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="generate_encryption_key"):
        encryption.encrypt_json({})
    settings.INTAKE_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key") as raised:
        encryption.encrypt_json({})
    assert "not-a-key" not in str(raised.value)


def test_generate_encryption_key_prints_a_usable_key(capsys):
    call_command("generate_encryption_key")
    key = capsys.readouterr().out.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"


def test_a_well_formed_key_that_is_not_the_stored_answers_fails_the_database_check(settings):
    assert intake_key_reads_stored_answers(databases=["default"]) == []  # nothing stored yet
    settings.INTAKE_ENCRYPTION_KEYS = [OLD_KEY]
    booked_with_marker()
    assert intake_key_reads_stored_answers(databases=["default"]) == []

    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY]  # a valid key, but another one
    [error] = intake_key_reads_stored_answers(databases=["default"])
    assert error.id == "booking.E001" and "INTAKE_ENCRYPTION_KEYS" in error.msg
    assert NEW_KEY not in error.msg + error.hint and OLD_KEY not in error.msg + error.hint
    # migrate and `check --database default` run it; a plain `check` does not.
    with pytest.raises(SystemCheckError, match=r"booking\.E001"):
        call_command("check", databases=["default"])
    call_command("check")

    settings.INTAKE_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]  # mid-rotation: the old key still reads
    assert intake_key_reads_stored_answers(databases=["default"]) == []
