"""Repeating tasks: each keeps exactly one run of itself waiting in the task queue, queued
again by the run itself (and by ``manage.py schedule_periodic_tasks`` at every release).
The apps' own repeating tasks (retention, calendars, the waiting list's sweep, scheduled
publishing) use this; docs/privacy.md explains the locking."""

import datetime as dt

from django.db import connection, transaction
from django.tasks import TaskResultStatus

# Any fixed number: the PostgreSQL advisory lock that makes scheduling one at a time.
SCHEDULE_LOCK = 0x1A7E_0001


def uses_database_queue(task_function) -> bool:
    """Whether the task's backend can hold a run for later (not the tests' immediate one)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task_function.get_backend(), DatabaseBackend)


def ensure_one_waiting(task_function, run_after: dt.datetime) -> dt.datetime | None:
    """One waiting run of ``task_function``: the one already queued, or a new one at
    ``run_after``. Extra waiting runs (left by older code) are removed. None where the
    backend cannot hold a run for later."""
    if not uses_database_queue(task_function):
        return None
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULE_LOCK])
        waiting = list(
            DBTaskResult.objects.select_for_update()
            .filter(task_path=task_function.module_path, status=TaskResultStatus.READY)
            .order_by("run_after", "enqueued_at")
        )
        if waiting:
            DBTaskResult.objects.filter(pk__in=[run.pk for run in waiting[1:]]).delete()
            return waiting[0].run_after
        task_function.using(run_after=run_after).enqueue()
        return run_after
