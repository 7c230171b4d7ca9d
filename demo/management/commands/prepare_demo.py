"""Everything ``make run`` does before the server starts, in one process: one Django start
instead of five (each about as slow as the set-up itself on a second run)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Sets up the demo in one go: migrates the database, loads the demo content, points "
        "the site at SITE_URL, queues the repeating tasks and makes sure of the logins, "
        "printed last. Safe to run again: an unchanged checkout changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port the demo is served on.")

    def handle(self, *args, port, **options):
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(f"Migrating the database ({len(pending)} migrations)…")
            call_command("migrate", interactive=False, verbosity=0)
        else:
            self.stdout.write("Database: up to date.")
        call_command("load_demo_content", stdout=self.stdout, stderr=self.stderr)
        call_command("sync_site_url", stdout=self.stdout, stderr=self.stderr)
        call_command("schedule_periodic_tasks", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("")
        # Last, so that the logins are what is on screen when the server starts.
        call_command("ensure_demo_users", port=port, stdout=self.stdout, stderr=self.stderr)
