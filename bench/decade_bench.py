"""Ten years of a busy practice: what the staff's pages, the export and the nightly purge cost.

Builds a throwaway database (SQLite in a temporary file; the PostgreSQL server
DATABASE_URL points at, in a ``test_`` database of its own, created and dropped here),
fills it with ``manage.py fill_decade`` (about 60,000 appointments, 10,000 patients with
encrypted intakes, 300 articles), then measures in-process, through Django's test client
signed in as a superuser (two-factor is off in the test settings, its middleware still
runs): the median and the slowest of ``--runs`` requests after a first one, and the SQL
queries of one.

Budgets, from issue 18: every admin page at most 200 ms (median); the CSV export of a
year streamed, its first bytes within 200 ms and its peak memory flat (a year's export
within 1.5 times a month's, plus 1 MiB); the nightly retention purge in minutes (at most
5), even on its first night over ten years of intakes. Exits 1 over a budget.

Usage: .venv/bin/python bench/decade_bench.py [--runs 15] [--keep]
``--keep`` keeps the filled database for the next run (and reuses one kept before); the
purge then runs in a transaction rolled back at the end, so it finds the same work again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.test")

PAGE_BUDGET_MS = 200.0
FIRST_BYTES_BUDGET_MS = 200.0
FLAT_FACTOR, FLAT_SLACK = 1.5, 1024 * 1024
RETENTION_BUDGET_S = 300.0
KEPT_SQLITE = Path(tempfile.gettempdir()) / "practice-decade-bench.sqlite3"


@dataclass
class Row:
    name: str
    value: str
    detail: str
    budget: str
    ok: bool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    # Not setup_test_environment(): it instruments every template render for the test
    # client's assertions, which costs admin pages a third of their time.
    from django.test.utils import setup_databases, teardown_databases

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tempfile.mkdtemp(prefix="decade-")
        path = KEPT_SQLITE if options.keep else Path(folder) / "decade.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
    print("Preparing a throwaway database …", flush=True)
    created = setup_databases(verbosity=0, interactive=False, keepdb=options.keep)
    try:
        rows = run(options.runs, keep=options.keep)
    finally:
        if not options.keep:
            teardown_databases(created, verbosity=0)
    return 0 if all(row.ok for row in rows) else 1


def machine() -> str:
    from django.db import connection

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version} (file)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), load {load}; Python {platform.python_version()}; "
        f"Django {django_version()}; {db}"
    )


def django_version() -> str:
    import django

    return django.get_version()


def fill() -> str:
    from django.core.management import call_command

    from booking.models import Appointment

    if Appointment.objects.exists():
        return "kept from an earlier run"
    begun = time.perf_counter()
    call_command("fill_decade", "--throwaway")
    return f"filled in {time.perf_counter() - begun:.0f} s"


def timed(client, url: str, runs: int, *, before=None) -> tuple[list[float], tuple[int, float]]:
    """Times ``runs`` GETs of ``url`` after a first one; returns the times, and the queries
    of one more with the seconds they took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    get()
    times = []
    for _ in range(runs):
        if before:
            before()
        begun = time.perf_counter()
        get()
        times.append(time.perf_counter() - begun)
    with CaptureQueriesContext(connection) as queries:
        if before:
            before()
        get()
    return times, (len(queries), sum(float(q["time"]) for q in queries.captured_queries))


def page_row(name: str, times: list[float], queries: tuple[int, float], budget_ms: float) -> Row:
    median = statistics.median(times) * 1000
    return Row(
        name,
        f"{median:.1f} ms",
        f"max {max(times) * 1000:.0f} ms, {queries[0]} queries ({queries[1] * 1000:.0f} ms)",
        f"<= {budget_ms:.0f} ms",
        median <= budget_ms,
    )


def export(client, url: str) -> tuple[float, float, int, int]:
    """The seconds to the first bytes and to the last, the peak memory while streaming and
    the rows, for one CSV export (memory traced on a second pass, which is slower)."""
    begun = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming, response
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_bytes = time.perf_counter() - begun
    lines = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
    total = time.perf_counter() - begun
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(url)
        for _ in response.streaming_content:
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return first_bytes, total, peak, lines - 1


def run(runs: int, *, keep: bool) -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from booking.models import Appointment, Intake, Patient, Practitioner, Service
    from booking.privacy.retention import intakes_purge_expired

    how = fill()
    now = timezone.now()
    print(
        f"Ten years: {Appointment.objects.count():,} appointments, "
        f"{Patient.objects.count():,} patients, {Intake.objects.count():,} intakes ({how}).",
        flush=True,
    )
    rows: list[Row] = []

    visitor = Client()
    service = Service.objects.get(slug="follow-up-treatment")
    visitor.post("/book/", {"service": service.pk})
    times, queries = timed(visitor, "/book/time/", runs)
    rows.append(page_row("slot page", times, queries, PAGE_BUDGET_MS))
    print(f"  {rows[-1].name}: {rows[-1].value}", flush=True)

    admin, _ = get_user_model().objects.get_or_create(
        username="decade-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(admin)
    regular = Patient.objects.annotate(n=Count("appointments")).order_by("-n").first()
    practitioner = Practitioner.objects.order_by("pk").first()
    appointments = reverse("booking_appointment:index")
    pages = [
        ("agenda, this week, everyone", reverse("booking_staff:agenda")),
        ("appointments, upcoming", appointments),
        ("appointments, past, everyone", f"{appointments}?when=past"),
        (
            "appointments, past, filtered",
            f"{appointments}?when=past&practitioner={practitioner.pk}&status=completed",
        ),
        ("appointments, searched", f"{appointments}?when=all&q={regular.last_name}"),
        (
            f"patient page, {regular.n} visits",
            reverse("booking_patient:inspect", args=[regular.pk]),
        ),
        ("bookings by article, 90 days", reverse("booking_staff:article_report")),
        (
            "bookings by article, 10 years",
            f"{reverse('booking_staff:article_report')}"
            f"?start={(now - dt.timedelta(days=3653)).date()}&end={now.date()}",
        ),
    ]
    for name, url in pages:
        times, queries = timed(staff, url, runs)
        rows.append(page_row(name, times, queries, PAGE_BUDGET_MS))
        print(f"  {name}: {rows[-1].value}", flush=True)

    year = now.year - 1
    csv = f"{appointments}?export=csv&when=all"
    month = export(staff, f"{csv}&starts_at_from={year}-06-01&starts_at_to={year}-06-30")
    whole = export(staff, f"{csv}&starts_at_from={year}-01-01&starts_at_to={year}-12-31")
    rows.append(
        Row(
            f"CSV export of {year}, first bytes",
            f"{whole[0] * 1000:.1f} ms",
            f"all {whole[3]:,} rows in {whole[1]:.2f} s",
            f"<= {FIRST_BYTES_BUDGET_MS:.0f} ms",
            whole[0] * 1000 <= FIRST_BYTES_BUDGET_MS,
        )
    )
    flat_limit = month[2] * FLAT_FACTOR + FLAT_SLACK
    rows.append(
        Row(
            f"CSV export of {year}, peak memory",
            f"{whole[2] / 2**20:.1f} MiB",
            f"a month ({month[3]:,} rows): {month[2] / 2**20:.1f} MiB",
            f"<= {flat_limit / 2**20:.1f} MiB",
            whole[2] <= flat_limit,
        )
    )

    with transaction.atomic():
        for name in ("first night, ten years due", "the next night"):
            begun = time.perf_counter()
            deleted = intakes_purge_expired(now)
            seconds = time.perf_counter() - begun
            rows.append(
                Row(
                    f"retention purge, {name}",
                    f"{seconds:.2f} s",
                    f"{deleted:,} intakes deleted",
                    f"<= {RETENTION_BUDGET_S / 60:.0f} min",
                    seconds <= RETENTION_BUDGET_S,
                )
            )
        if keep:
            transaction.set_rollback(True)

    print(f"\nMachine: {machine()}")
    print(f"Median of {runs} requests after a first one, in-process; queries of one.\n")
    width = max(len(row.name) for row in rows)
    print(f"{'':{width}}  {'measured':>10}  {'budget':>10}  detail")
    for row in rows:
        flag = "" if row.ok else "   OVER BUDGET"
        print(f"{row.name:{width}}  {row.value:>10}  {row.budget:>10}  {row.detail}{flag}")
    over = [row.name for row in rows if not row.ok]
    print("\nAll within budget." if not over else f"\nOver budget: {', '.join(over)}.")
    return rows


if __name__ == "__main__":
    sys.exit(main())
