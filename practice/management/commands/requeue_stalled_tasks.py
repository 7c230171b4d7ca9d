"""Put back in the queue the tasks whose worker died while running them.

A worker killed mid-task (SIGKILL, out of memory, the machine stopped) leaves its task
marked "running" for ever, and no other worker takes a running task. An email cut off
mid-send was not accepted by the mail server (a message counts once the server has
answered the end of its data), so running the task again sends it once. Only a kill in
the instant between that answer and the worker marking the task done sends it twice: an
email is sent at least once, never lost. The reminder claims its
appointment before sending and gives the claim back only when the send fails, so a
reminder cut off mid-send is not sent again: it may be lost, never doubled.

``TASK_STALLED_AFTER`` (10 minutes) is far longer than any task runs; the systemd timer
(deploy/systemd/practice-requeue.timer) runs this every two minutes.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Queue again the tasks left 'running' by a worker that stopped (TASK_STALLED_AFTER)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            help="Seconds a task must have been running; default TASK_STALLED_AFTER.",
        )

    def handle(self, *args, older_than, **options):
        stalled_after = (
            settings.TASK_STALLED_AFTER if older_than is None else dt.timedelta(seconds=older_than)
        )
        now = timezone.now()
        requeued = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - stalled_after
        ).update(status=TaskResultStatus.READY, run_after=now, started_at=None)
        if requeued or options["verbosity"] > 1:
            self.stdout.write(f"Queued again: {requeued} stalled task(s).")
