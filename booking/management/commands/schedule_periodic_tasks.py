"""Queue the repeating tasks once: run at every start (make run) and every deploy."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from blog import tasks as blog_tasks
from booking import tasks
from booking.waitlist import tasks as waitlist_tasks


class Command(BaseCommand):
    help = (
        "Make sure each repeating task is waiting in the task queue, exactly once: the "
        "nightly retention task (deleting intake answers older than INTAKE_RETENTION_YEARS "
        "after the last appointment) and the refresh of the practitioners' own calendars "
        "(every CALENDAR_SYNC_MINUTES), and the waiting list's sweep that releases holds "
        "that ran out and Wagtail's scheduled publishing (each every minute). Safe to run again "
        "and again."
    )

    def handle(self, *args, **options):
        purge_at = tasks.ensure_purge_scheduled()
        if purge_at is None:
            self.stderr.write(
                self.style.WARNING(
                    "The task backend cannot hold a task for later: nothing was queued. "
                    "Use the database backend (django_tasks_db) in production."
                )
            )
            return
        sync_at = tasks.ensure_calendar_sync_scheduled()
        sweep_at = waitlist_tasks.ensure_sweep_scheduled()
        publish_at = blog_tasks.ensure_publishing_scheduled()
        zone = timezone.get_default_timezone()
        self.stdout.write(
            f"Retention task: next run {purge_at.astimezone(zone):%Y-%m-%d %H:%M %Z}."
        )
        self.stdout.write(
            f"Calendar refresh: next run {sync_at.astimezone(zone):%Y-%m-%d %H:%M %Z}."
        )
        self.stdout.write(
            f"Waiting-list sweep: next run {sweep_at.astimezone(zone):%Y-%m-%d %H:%M %Z}."
        )
        self.stdout.write(
            f"Scheduled publishing: next run {publish_at.astimezone(zone):%Y-%m-%d %H:%M %Z}."
        )
