"""The patient's rights: a copy of everything held, erasure, and intake answers deleted after
the retention period by a nightly task that keeps exactly one run queued."""

import datetime as dt
import json
import os
import stat
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.search.models import IndexEntry

from booking import privacy, services, tasks
from booking.access import record_intake_view
from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Intake,
    Patient,
    Practitioner,
)
from booking.privacy import erasure as erasures
from booking.privacy import retention
from booking.tokens import manage_token
from practice.settings.env import env_int
from tests.factories import answers, book, details, practitioner, staff_member

from .helpers import TZ, local, next_weekday

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
        screen_bleeding="yes",
        medications=MARKER,
        pain_areas=["neck"],
    )
    Appointment.objects.filter(pk=past.pk).update(status=AppointmentStatus.COMPLETED)
    AppointmentNote.objects.create(appointment=past, author=rosa, text=f"Needled gently {MARKER}")
    record_intake_view(rosa, past)
    upcoming = visit(local(MONDAY, 10), medications=MARKER)
    return past, upcoming


def counts():
    """What the practice's statistics read: bookings per service, practitioner and month."""
    rows = Appointment.objects.annotate(month=TruncMonth("starts_at", tzinfo=TZ)).values_list(
        "service_id", "practitioner_id", "month"
    )
    return Counter(rows)


# --- Export -------------------------------------------------------------------------------


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
    assert first["screening_flags"] == ["Bleeding disorder or blood thinners"]
    intake = first["intake"]
    assert intake["pain_score"] == 5 and intake["kind"] == "New patient"
    assert intake["answers_as_stored"]["medications"] == MARKER
    readable = {row["question"]: row["answer"] for row in intake["answers"]}
    assert readable["Where does it hurt?"] == "Neck"
    assert any(q.startswith("Do you have a bleeding disorder") for q in readable)
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


@pytest.fixture
def _keep_the_test_connection(monkeypatch):
    # The worker closes connections it thinks are stale; here it shares the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def database_queue(settings, _keep_the_test_connection):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


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


# --- Erasure ------------------------------------------------------------------------------


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
    token = manage_token(appointment.public_id)
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


# --- Retention ----------------------------------------------------------------------------


@pytest.fixture
def last_visit():
    """A visit on Monday March 4, 2019 at 10:00 (flagged); the patient never came back."""
    return visit(local(dt.date(2019, 3, 4), 10), screen_bleeding="yes")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "kept"),
    [
        (local(dt.date(2026, 3, 4), 9, 59), True),
        (local(dt.date(2026, 3, 4), 10, 1), False),
    ],
)
def test_intake_answers_go_seven_years_after_the_last_visit(last_visit, moment, kept):
    with time_machine.travel(moment, tick=False):
        deleted = privacy.intakes_purge_expired(timezone.now())
    last_visit.refresh_from_db()
    assert Intake.objects.filter(appointment=last_visit).exists() is kept
    assert deleted == (0 if kept else 1)
    assert (last_visit.flags == ["bleeding"]) is kept
    assert Appointment.objects.filter(pk=last_visit.pk).exists()


@pytest.mark.django_db
def test_the_retention_period_is_a_setting(last_visit, settings):
    settings.INTAKE_RETENTION_YEARS = 10
    with time_machine.travel(local(dt.date(2028, 3, 4), 10, 1), tick=False):
        assert privacy.intakes_purge_expired(timezone.now()) == 0
    with time_machine.travel(local(dt.date(2029, 3, 4), 10, 1), tick=False):
        assert privacy.intakes_purge_expired(timezone.now()) == 1


@pytest.mark.django_db
def test_a_recent_visit_keeps_every_intake_of_that_patient_and_a_second_run_deletes_nothing(
    last_visit,
):
    returning = visit(
        local(dt.date(2024, 6, 3), 10), patient=nora(email="second@example.com")
    )  # another patient, seen recently
    visit(local(dt.date(2018, 6, 4), 10), patient=nora(email="second@example.com"))
    with time_machine.travel(local(dt.date(2026, 6, 1), 12), tick=False):
        assert privacy.intakes_purge_expired(timezone.now()) == 1
        assert privacy.intakes_purge_expired(timezone.now()) == 0
    assert Intake.objects.filter(appointment__patient=returning.patient).count() == 2
    assert not Intake.objects.filter(appointment=last_visit).exists()


def test_years_before_handles_the_29th_of_february():
    leap = dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)
    assert privacy.years_before(leap, 7) == dt.datetime(2021, 2, 28, 12, tzinfo=dt.UTC)


def test_the_retention_setting_is_read_from_the_environment(monkeypatch, settings):
    monkeypatch.delenv("INTAKE_RETENTION_YEARS", raising=False)
    assert env_int("INTAKE_RETENTION_YEARS", 7, minimum=1) == 7
    monkeypatch.setenv("INTAKE_RETENTION_YEARS", " 10 ")
    assert env_int("INTAKE_RETENTION_YEARS", 7, minimum=1) == 10
    for wrong in ("seven", "0", "-3", "7.5"):
        monkeypatch.setenv("INTAKE_RETENTION_YEARS", wrong)
        with pytest.raises(ImproperlyConfigured, match="INTAKE_RETENTION_YEARS"):
            env_int("INTAKE_RETENTION_YEARS", 7, minimum=1)
    assert settings.INTAKE_RETENTION_YEARS == 7


def waiting_purges():
    return DBTaskResult.objects.filter(task_path=PURGE_TASK, status="READY")


@pytest.mark.django_db
def test_scheduling_twice_queues_one_purge_for_three_in_the_morning(database_queue, capsys):
    with time_machine.travel(local(dt.date(2026, 3, 7), 15), tick=False):
        call_command("schedule_periodic_tasks")
        call_command("schedule_periodic_tasks")
    [run] = waiting_purges()
    assert run.run_after == local(dt.date(2026, 3, 8), 3)
    assert capsys.readouterr().out.count("next run 2026-03-08 03:00") == 2


@pytest.mark.django_db
def test_scheduling_removes_extra_waiting_runs(database_queue):
    later = local(dt.date(2026, 3, 9), 3)
    tasks.purge_expired_intakes.using(run_after=later).enqueue()
    tasks.purge_expired_intakes.using(run_after=later + dt.timedelta(days=1)).enqueue()
    assert tasks.ensure_purge_scheduled() == later
    [run] = waiting_purges()
    assert run.run_after == later


@pytest.mark.django_db
def test_the_nightly_purge_runs_and_queues_the_next_night(database_queue, last_visit):
    # Clocks go forward on March 8, 2026: the next run is still 03:00 local.
    with time_machine.travel(local(dt.date(2026, 3, 7), 15), tick=False):
        tasks.ensure_purge_scheduled()
    with time_machine.travel(local(dt.date(2026, 3, 8), 3) + dt.timedelta(seconds=5), tick=False):
        run_worker()
    assert not Intake.objects.filter(appointment=last_visit).exists()
    done = DBTaskResult.objects.get(task_path=PURGE_TASK, status="SUCCESSFUL")
    assert done.return_value == 1
    [run] = waiting_purges()
    assert run.run_after == local(dt.date(2026, 3, 9), 3)


@pytest.mark.django_db
def test_a_failed_purge_still_queues_the_next_night(database_queue, monkeypatch):
    def broken(now):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(retention, "intakes_purge_expired", broken)
    with time_machine.travel(local(dt.date(2026, 5, 4), 3, 1), tick=False):
        tasks.purge_expired_intakes.enqueue()
        run_worker()
    assert DBTaskResult.objects.filter(task_path=PURGE_TASK, status="FAILED").count() == 1
    [run] = waiting_purges()
    assert run.run_after == local(dt.date(2026, 5, 5), 3)


@pytest.mark.django_db
def test_without_a_queue_that_can_wait_nothing_is_scheduled_and_the_purge_runs_once(
    last_visit, capsys
):
    call_command("schedule_periodic_tasks")
    assert "cannot hold a task for later" in capsys.readouterr().err
    assert not DBTaskResult.objects.exists()
    with time_machine.travel(local(dt.date(2026, 6, 1), 12), tick=False):
        assert tasks.purge_expired_intakes.enqueue().return_value == 1


@pytest.mark.django_db
def test_staff_cancel_then_erase_keeps_counts_for_cancelled_rows_too(history):
    past, upcoming = history
    services.appointment_cancel(appointment=upcoming, by_staff=True, reason=f"Flu {MARKER}")
    before = counts()
    erasures.patient_erase(past.patient, by=None)
    upcoming.refresh_from_db()
    assert counts() == before
    assert upcoming.status == AppointmentStatus.CANCELLED and upcoming.cancellation_reason == ""
