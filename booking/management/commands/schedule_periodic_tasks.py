"""Queue the repeating tasks once: run at every start (make run) and every deploy."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from booking import tasks


class Command(BaseCommand):
    help = (
        "Make sure the nightly retention task (deleting intake answers older than "
        "INTAKE_RETENTION_YEARS after the last appointment) is waiting in the task queue, "
        "exactly once. Safe to run again and again."
    )

    def handle(self, *args, **options):
        run_after = tasks.ensure_purge_scheduled()
        if run_after is None:
            self.stderr.write(
                self.style.WARNING(
                    "The task backend cannot hold a task for later: nothing was queued. "
                    "Use the database backend (django_tasks_db) in production."
                )
            )
            return
        local = run_after.astimezone(timezone.get_default_timezone())
        self.stdout.write(f"Retention task: next run {local:%Y-%m-%d %H:%M %Z}.")
