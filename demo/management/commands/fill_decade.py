"""``manage.py fill_decade --throwaway``: ten years of a busy practice in an empty database,
for measuring (bench/decade_bench.py). What it writes: demo/decade.py."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.decade import fill_decade


class Command(BaseCommand):
    help = (
        "Fills a throwaway database with ten years of a busy three-practitioner practice "
        "(about 60,000 appointments, 10,000 made-up patients with encrypted intakes, 300 "
        "articles). Refuses without --throwaway, and on a database that holds any patient."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--throwaway",
            action="store_true",
            help="Confirms that this database may be filled with made-up data.",
        )
        parser.add_argument(
            "--now",
            type=dt.datetime.fromisoformat,
            help="The end of the decade (ISO date and time, UTC if no offset); default now.",
        )
        parser.add_argument("--appointments", type=int, default=60_000)
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, throwaway, now, appointments, articles, years, **options):
        if not throwaway:
            raise CommandError(
                "This fills the database with made-up patients. Run it only on a throwaway "
                "database, and say so with --throwaway."
            )
        if now is None:
            now = timezone.now()
        elif now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
        begun = time.perf_counter()
        try:
            report = fill_decade(now=now, appointments=appointments, articles=articles, years=years)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Filled {connection.vendor} in {time.perf_counter() - begun:.0f} s: "
            f"{report.appointments:,} appointments, {report.patients:,} patients, "
            f"{report.intakes:,} intakes, {report.notes:,} notes, {report.articles} articles, "
            f"{report.time_off} time off."
        )
        self.stdout.write(
            "  " + ", ".join(f"{what} {seconds:.0f} s" for what, seconds in report.seconds.items())
        )
