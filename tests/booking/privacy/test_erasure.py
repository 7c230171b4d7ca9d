"""Erasure: the person and their answers go, the practice's counts stay."""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.search.models import IndexEntry

from booking import privacy
from booking.models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Intake,
    Patient,
)
from booking.privacy import erasure as erasures
from tests.clock import local
from tests.factories.bookings import book, details, manage_token

from .people import MARKER, MONDAY, TUESDAY, counts, run_worker, visit


@pytest.mark.django_db
def test_erasure_removes_the_person_and_their_answers_and_keeps_the_counts(
    history, admin_user, caplog
):
    past, upcoming = history
    other = visit(local(TUESDAY, 11), patient=details(first_name="Other"))
    before = counts()
    patient = past.patient

    with caplog.at_level("INFO"):
        erasure = erasures.patient_erase(patient, by=admin_user)

    patient.refresh_from_db()
    assert patient.full_name == "Erased patient" and privacy.is_erased(patient)
    assert patient.phone == "" and patient.date_of_birth == privacy.ERASED_DATE_OF_BIRTH
    assert "nora" not in patient.email.lower() and patient.email.endswith("@erased.invalid")
    assert counts() == before
    assert Appointment.objects.filter(patient=patient).count() == 2
    assert not Intake.objects.filter(appointment__patient=patient).exists()
    assert not AppointmentNote.objects.filter(appointment__patient=patient).exists()
    assert all(a.flags == [] for a in Appointment.objects.filter(patient=patient))
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CANCELLED
    assert past.status == AppointmentStatus.COMPLETED
    # Someone else's record is untouched.
    assert Intake.objects.filter(appointment=other).exists()
    assert erasure == erasures.Erasure(
        patient_id=patient.pk,
        appointments_kept=2,
        appointments_cancelled=1,
        intakes_deleted=2,
        notes_deleted=1,
        email_records_deleted=0,
        log_entries_renamed=0,
    )
    # Who erased is logged, with counts only; the application log names no one.
    [entry] = ModelLogEntry.objects.filter(action=privacy.ERASE_ACTION)
    assert entry.user == admin_user and entry.label == "Erased patient"
    assert entry.data["intakes_deleted"] == 2
    everything_logged = caplog.text + json.dumps(entry.data) + entry.label
    for secret in ("Nora", "Quill", "nora.quill", MARKER):
        assert secret not in everything_logged


@pytest.mark.django_db
def test_after_erasure_the_old_name_is_found_nowhere_in_the_admin(admin_client, history):
    past, _ = history
    patient = past.patient
    # An edit in the admin leaves a log entry labelled with the name.
    log(instance=patient, action="wagtail.edit", title=patient.full_name)
    erasures.patient_erase(patient, by=None)

    searches = [
        admin_client.get(reverse("booking_patient:index"), {"q": "Quill"}),
        admin_client.get(reverse("booking_appointment:index"), {"q": "Quill"}),
        admin_client.get(reverse("booking_appointment:index"), {"q": "nora.quill"}),
        admin_client.get(reverse("booking_patient:inspect", args=[patient.pk])),
        admin_client.get(reverse("booking_appointment:inspect", args=[past.pk])),
        admin_client.get(reverse("wagtailadmin_reports:site_history")),
    ]
    for response in searches:
        assert response.status_code == 200
        # The search box repeats the query itself; a result would show the whole name.
        for secret in (b"Nora Quill", b"nora.quill@example.com", MARKER.encode()):
            assert secret not in response.content
    assert not ModelLogEntry.objects.filter(label__icontains="Quill").exists()
    assert not IndexEntry.objects.filter(title__icontains="Quill").exists()
    assert not IndexEntry.objects.filter(body__icontains="Quill").exists()


@pytest.mark.django_db
def test_after_erasure_manage_links_fail_and_no_reminder_or_patient_email_goes_out(
    database_queue, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = visit(local(MONDAY, 10))
    token = manage_token(appointment)
    run_worker()  # the confirmation goes out; the reminder waits
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        erasure = erasures.patient_erase(appointment.patient, by=None)
    assert erasure.email_records_deleted == 2  # the confirmation and the practitioner's notice
    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=23)):
        run_worker()

    assert client.get(reverse("booking:manage", args=[token])).status_code == 404
    assert [m.subject for m in mail.outbox] == ["Cedar Street Acupuncture: Booking cancelled"]
    notice = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    assert "Nora" not in notice and "Quill" not in notice
    reminder = DBTaskResult.objects.get(task_path="booking.tasks.send_reminder")
    assert reminder.return_value == "not due"


@pytest.mark.django_db
def test_the_same_person_can_book_again_as_a_new_patient(history):
    past, _ = history
    erasures.patient_erase(past.patient, by=None)
    again = visit(local(TUESDAY, 14))
    assert again.patient_id != past.patient_id
    assert again.patient.full_name == "Nora Quill" and not privacy.is_erased(again.patient)
    assert Patient.objects.filter(email__iexact="nora.quill@example.com").count() == 1


@pytest.mark.django_db
def test_erasure_happens_whole_or_not_at_all(history, monkeypatch):
    past, upcoming = history

    def broken(**kwargs):
        raise RuntimeError("the log table is gone")

    monkeypatch.setattr(erasures, "log", broken)
    with pytest.raises(RuntimeError):
        erasures.patient_erase(past.patient, by=None)
    past.patient.refresh_from_db()
    upcoming.refresh_from_db()
    assert past.patient.full_name == "Nora Quill"
    assert upcoming.status == AppointmentStatus.CONFIRMED
    assert Intake.objects.filter(appointment__patient=past.patient).count() == 2
    assert AppointmentNote.objects.filter(appointment=past).exists()


@pytest.mark.django_db
def test_the_erase_command_asks_first_and_says_what_it_removed_and_kept(
    history, monkeypatch, capsys
):
    past, _ = history
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        call_command("erase_patient", email="nora.quill@example.com")
    past.patient.refresh_from_db()
    assert past.patient.last_name == "Quill"

    monkeypatch.setattr("builtins.input", lambda prompt: "erase")
    call_command("erase_patient", email="nora.quill@example.com")
    out = capsys.readouterr().out
    past.patient.refresh_from_db()
    assert privacy.is_erased(past.patient)
    assert "Removed:" in out and "2 intake(s)" in out and "1 staff note(s)" in out
    assert "Kept: 2 appointment(s)" in out and "Cancelled first: 1 upcoming" in out
    [entry] = ModelLogEntry.objects.filter(action=privacy.ERASE_ACTION)
    assert entry.user is None and entry.data["via"].startswith("manage.py erase_patient")


@pytest.mark.django_db
def test_the_erase_command_with_yes_does_not_ask(history, monkeypatch):
    past, _ = history

    def no_questions(prompt):
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", no_questions)
    call_command("erase_patient", patient_id=past.patient_id, yes=True)
    past.patient.refresh_from_db()
    assert privacy.is_erased(past.patient)


@pytest.mark.django_db
def test_a_superuser_erases_from_the_admin_after_a_confirmation_page(
    client, admin_user_named, history
):
    past, _ = history
    client.force_login(admin_user_named)
    url = reverse("booking_staff:patient_erase", args=[past.patient_id])
    page = client.get(url)
    assert page.status_code == 200 and b"cannot be undone" in page.content
    past.patient.refresh_from_db()
    assert past.patient.last_name == "Quill"

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("booking_patient:inspect", args=[past.patient_id])
    past.patient.refresh_from_db()
    assert privacy.is_erased(past.patient)
    [entry] = ModelLogEntry.objects.filter(action=privacy.ERASE_ACTION)
    assert entry.user == admin_user_named and entry.data["via"] == "admin"


@pytest.mark.django_db
def test_a_patient_booked_without_email_is_erased_and_their_practitioner_told(
    django_capture_on_commit_callbacks,
):
    booked = book(
        start=local(MONDAY, 10), patient=details(email="", first_name="Ada"), intake=None,
        by_staff=True,
    )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erasure = erasures.patient_erase(booked.patient, by=None)
    booked.refresh_from_db()
    booked.patient.refresh_from_db()
    assert erasure.appointments_cancelled == 1 and privacy.is_erased(booked.patient)
    assert booked.patient.first_name != "Ada" and booked.patient.phone == ""
    assert [m.subject for m in mail.outbox] == ["Cedar Street Acupuncture: Booking cancelled"]
