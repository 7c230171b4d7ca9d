"""Intake answers deleted after the retention period by a nightly task that keeps one run queued."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking import privacy, services, tasks
from booking.models import (
    Appointment,
    AppointmentStatus,
    Intake,
)
from booking.privacy import erasure as erasures
from booking.privacy import retention
from practice.settings.env import env_int
from tests.clock import local

from .people import MARKER, PURGE_TASK, counts, nora, run_worker, visit


@pytest.fixture
def last_visit():
    """A visit on Monday March 4, 2019 at 10:00 (flagged); the patient never came back."""
    return visit(local(dt.date(2019, 3, 4), 10), screen_blood_thinners="yes")


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
    assert (last_visit.flags == ["blood_thinners"]) is kept
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
