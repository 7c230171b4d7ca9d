"""A copy of everything the practice holds about one patient, and who may have it."""

import datetime as dt
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking import privacy
from booking.models import (
    Intake,
)
from tests.clock import local
from tests.factories.bookings import book, details

from .people import MARKER, MONDAY, TUESDAY, run_worker, visit


@pytest.mark.django_db
def test_the_export_holds_everything_about_the_patient_and_nobody_else(history, rosa):
    past, upcoming = history
    visit(local(TUESDAY, 11), patient=details(first_name="Other"), medications="NOT-NORA")

    data = privacy.patient_export(past.patient)

    assert data["patient"] == {
        "id": past.patient_id,
        "first_name": "Nora",
        "last_name": "Quill",
        "email": "nora.quill@example.com",
        "phone": "(555) 010-0000",
        "date_of_birth": "1975-01-01",
        "record_created_at": past.patient.created_at.astimezone(dt.UTC).isoformat(),
        "erased": False,
    }
    first, second = data["appointments"]
    assert [first["id"], second["id"]] == [past.pk, upcoming.pk]
    assert first["starts_at"] == "2025-11-03T15:00:00+00:00"
    assert first["starts_at_local"] == "2025-11-03T10:00:00-05:00"
    assert first["status"] == "Completed" and second["status"] == "Confirmed"
    assert first["service"] == "Follow-up treatment"
    assert first["practitioner"] == "Rosa Lind"
    assert first["screening_flags"] == ["Blood thinners"]
    intake = first["intake"]
    assert intake["pain_score"] == 5 and intake["kind"] == "New patient"
    assert intake["answers_as_stored"]["medications"] == MARKER
    readable = {row["question"]: row["answer"] for row in intake["answers"]}
    assert readable["Where does it hurt?"] == "Neck"
    assert any(q.startswith("You take a blood thinner") and readable[q] == "Yes" for q in readable)
    assert MARKER in readable.values()
    assert intake["consented_to_treatment_at"] and intake["privacy_notice_acknowledged_at"]
    assert first["staff_notes"][0]["text"] == f"Needled gently {MARKER}"
    assert first["staff_notes"][0]["by"] == "Mei-Test"
    assert data["intake_views"] == [
        {
            "appointment_id": past.pk,
            "by": "Mei-Test",
            "viewed_at": data["intake_views"][0]["viewed_at"],
            "where": "appointment page",
        }
    ]
    assert "NOT-NORA" not in json.dumps(data)
    # Nothing that would let the holder of the file act on the bookings.
    assert str(upcoming.public_id) not in json.dumps(data)


@pytest.mark.django_db
def test_the_export_is_stable_json_with_sorted_keys_and_iso_dates(history):
    past, _ = history
    now = timezone.now()
    text = privacy.patient_export_json(past.patient, now=now)
    assert text == privacy.patient_export_json(past.patient, now=now)
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2) + "\n"
    assert dt.datetime.fromisoformat(data["export"]["made_at"]) == now
    for appointment in data["appointments"]:
        dt.datetime.fromisoformat(appointment["booked_at"])


@pytest.mark.django_db
def test_answers_no_form_asks_any_more_are_exported_under_their_stored_name(history):
    past, _ = history
    intake = past.intake
    intake.answers = {**intake.answers, "retired_question": ["a", "b"]}
    intake.save()
    [first, _] = privacy.patient_export(past.patient)["appointments"]
    assert {"question": "retired_question", "answer": '["a", "b"]'} in first["intake"]["answers"]


@pytest.mark.django_db
def test_the_export_lists_the_emails_sent(database_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = visit(local(MONDAY, 10))
    run_worker()
    emails = privacy.patient_export(appointment.patient)["emails"]
    sent = sorted((e["to"], e["kind"], e["status"], e["outcome"]) for e in emails)
    assert sent == [
        ("patient", "confirmed", "SUCCESSFUL", "sent"),
        ("patient", "reminder", "READY", None),
        ("practitioner", "confirmed", "SUCCESSFUL", "sent"),
    ]
    reminder = next(e for e in emails if e["kind"] == "reminder")
    send_at = dt.datetime.fromisoformat(reminder["not_before"])
    assert send_at == appointment.starts_at - dt.timedelta(hours=24)


@pytest.mark.django_db
def test_the_export_command_writes_json_to_stdout_by_email_or_id(history, capsys):
    past, _ = history
    call_command("export_patient", email="NORA.quill@example.com")
    by_email = json.loads(capsys.readouterr().out)
    call_command("export_patient", patient_id=past.patient_id)
    by_id = json.loads(capsys.readouterr().out)
    assert by_email["patient"]["email"] == by_id["patient"]["email"] == "nora.quill@example.com"
    assert (
        ModelLogEntry.objects.filter(
            action=privacy.EXPORT_ACTION, object_id=str(past.patient_id)
        ).count()
        == 2
    )

    with pytest.raises(CommandError, match="No patient matches"):
        call_command("export_patient", email="nobody@example.com")


@pytest.mark.django_db
def test_the_export_command_creates_a_file_only_its_owner_can_read(history, tmp_path):
    past, _ = history
    target = tmp_path / "nora.json"
    old_umask = os.umask(0)  # even a permissive umask must not widen the file
    try:
        call_command("export_patient", patient_id=past.patient_id, output=str(target))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["patient"]["last_name"] == "Quill"

    target.write_text("something else")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_patient", patient_id=past.patient_id, output=str(target))
    assert target.read_text() == "something else"


@pytest.mark.django_db
def test_a_superuser_downloads_the_export_after_a_confirmation_page(
    client, admin_user_named, history
):
    past, _ = history
    client.force_login(admin_user_named)
    url = reverse("booking_staff:patient_export", args=[past.patient_id])

    page = client.get(url)
    assert page.status_code == 200 and "Content-Disposition" not in page
    assert b"Download the JSON file" in page.content
    assert not ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).exists()

    download = client.post(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert (
        download["Content-Disposition"] == f'attachment; filename="patient-{past.patient_id}.json"'
    )
    assert "no-store" in download["Cache-Control"]
    assert (
        json.loads(download.content)["appointments"][0]["intake"]["answers_as_stored"][
            "medications"
        ]
        == MARKER
    )
    [entry] = ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION)
    assert entry.user == admin_user_named and entry.data == {"via": "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["front desk", "treating practitioner"])
@pytest.mark.parametrize("action", ["booking_staff:patient_export", "booking_staff:patient_erase"])
def test_only_superusers_may_export_or_erase(client, history, desk, rosa, role, action):
    past, _ = history
    client.force_login(desk if role == "front desk" else rosa)
    url = reverse(action, args=[past.patient_id])
    assert client.get(url).status_code == 403
    response = client.post(url)
    assert response.status_code == 403
    assert MARKER.encode() not in response.content
    past.patient.refresh_from_db()
    assert past.patient.last_name == "Quill" and Intake.objects.filter(appointment=past).exists()
    page = client.get(reverse("booking_patient:inspect", args=[past.patient_id]))
    assert page.status_code == 200
    assert url.encode() not in page.content


@pytest.mark.django_db
def test_the_patient_page_offers_export_and_erasure_to_superusers(admin_client, history):
    past, _ = history
    page = admin_client.get(reverse("booking_patient:inspect", args=[past.patient_id]))
    assert reverse("booking_staff:patient_export", args=[past.patient_id]).encode() in page.content
    assert reverse("booking_staff:patient_erase", args=[past.patient_id]).encode() in page.content


@pytest.mark.django_db
def test_a_patient_booked_without_email_is_exported_by_id_and_never_by_an_empty_address(
    capsys,
):
    booked = book(
        start=local(MONDAY, 10), patient=details(email="", first_name="Ada"), intake=None,
        by_staff=True,
    )  # fmt: skip
    call_command("export_patient", patient_id=booked.patient_id)
    exported = json.loads(capsys.readouterr().out)
    assert exported["patient"]["email"] == "" and exported["patient"]["first_name"] == "Ada"
    assert [a["id"] for a in exported["appointments"]] == [booked.pk]
    with pytest.raises(CommandError, match="No patient matches"):
        call_command("export_patient", email="  ")
