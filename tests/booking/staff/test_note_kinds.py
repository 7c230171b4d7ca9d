"""Two kinds of note: clinical notes ("anxiety, on sertraline") reach only the treating
practitioner and superusers, and each look is logged as a look at the answers is; desk
notes ("prefers mornings") reach everyone on the schedule. Notes written before there were
kinds became clinical."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import ModelLogEntry

from booking.access import VIEW_CLINICAL_NOTES_ACTION
from booking.models import AppointmentNote, NoteKind

from .shared import inspect_url

pytestmark = pytest.mark.django_db

CLINICAL = "anxiety, on sertraline"
DESK = "prefers mornings, call before 5"


@pytest.fixture
def notes(appointment):
    AppointmentNote.objects.create(appointment=appointment, kind=NoteKind.CLINICAL, text=CLINICAL)
    AppointmentNote.objects.create(appointment=appointment, kind=NoteKind.DESK, text=DESK)
    return appointment


def _views_logged(appointment):
    return ModelLogEntry.objects.filter(
        action=VIEW_CLINICAL_NOTES_ACTION, object_id=str(appointment.pk)
    )


def test_front_desk_reads_desk_notes_and_never_clinical_ones(front_desk_client, notes):
    page = front_desk_client.get(inspect_url(notes)).content.decode()
    assert DESK in page
    assert CLINICAL not in page and "sertraline" not in page
    assert not _views_logged(notes).exists()


def test_the_treating_practitioner_reads_clinical_notes_and_the_look_is_logged(
    rosa_client, rosa, notes
):
    page = rosa_client.get(inspect_url(notes)).content.decode()
    assert CLINICAL in page and DESK in page
    [entry] = _views_logged(notes)
    assert entry.user == rosa


def test_a_superuser_reads_clinical_notes_and_the_look_is_logged(client, notes):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    assert CLINICAL in client.get(inspect_url(notes)).content.decode()
    assert _views_logged(notes).get().user == root


def test_front_desk_writes_desk_notes_only(front_desk_client, appointment):
    url = f"/admin/bookings/appointments/{appointment.pk}/note/"
    front_desk_client.post(url, {"text": "wants a receipt", "kind": NoteKind.CLINICAL})
    assert not AppointmentNote.objects.exists()
    front_desk_client.post(url, {"text": "wants a receipt"})
    assert AppointmentNote.objects.get().kind == NoteKind.DESK
    page = front_desk_client.get(inspect_url(appointment)).content.decode()
    assert 'value="clinical"' not in page


def test_a_practitioner_writes_clinical_notes_unless_she_chooses_desk(rosa_client, appointment):
    url = f"/admin/bookings/appointments/{appointment.pk}/note/"
    assert 'value="clinical"' in rosa_client.get(inspect_url(appointment)).content.decode()
    rosa_client.post(url, {"text": CLINICAL})
    rosa_client.post(url, {"text": DESK, "kind": NoteKind.DESK})
    kinds = dict(AppointmentNote.objects.values_list("text", "kind"))
    assert kinds == {CLINICAL: NoteKind.CLINICAL, DESK: NoteKind.DESK}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notes_written_before_there_were_kinds_became_clinical(appointment):
    before = [("booking", "0012_appointments_out_of_reference_index")]
    after = MigrationExecutor(connection).loader.graph.leaf_nodes()  # back to the latest
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old_note = executor.loader.project_state(before).apps.get_model(
            "booking", "AppointmentNote"
        )
        old_note.objects.create(appointment_id=appointment.pk, text=CLINICAL)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    note = AppointmentNote.objects.get()
    assert (note.kind, note.text) == (NoteKind.CLINICAL, CLINICAL)
