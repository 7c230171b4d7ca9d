"""Pages rendered for a visitor with a session, in-process: what the page cache cannot serve.

In a throwaway folder (nothing of the project's is touched) it migrates a new SQLite
database with production settings, loads the demo content, and then, through Django's
test client with a booking in progress (so every request carries the session cookie and is
rendered, never served from the page cache), times the article, the article index, the
home page and the slot page: the median of 30 requests after the first, and the SQL queries
of one. The same again with 300 articles. For scale, the anonymous article from the page
cache.

Budgets, set by what a patient would notice: each page at most 50 ms median. Advisory: the
figures are printed, and the exit status is 1 over any budget.

Usage: .venv/bin/python bench/pages_bench.py (a minute or two on 2 cores).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import http_bench  # noqa: E402 (bench/ is put on the path just above)

RUNS = 30
ARTICLES = 300
PAGES = [
    ("article", "/articles/your-first-visit/", 50),
    ("article index", "/articles/", 50),
    ("home page", "/", 50),
    ("slot page", "/book/time/", 50),
]


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="practice-pages-bench-"))
    try:
        env = http_bench.bench_environment(folder, http_bench.free_port())
        http_bench.prepare(folder, env)
        sys.path[:0] = [str(folder), str(ROOT)]
        os.environ.update(env)
        import django

        django.setup()
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        print(
            f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, SQLite, production settings, "
            f"load average {load}"
        )
        over = report("the demo content", measure())
        started = time.perf_counter()
        added = add_articles(ARTICLES)
        print(f"\nAdded {added} articles in {time.perf_counter() - started:.0f} s.")
        over += report(f"{added + demo_articles(added)} articles", measure())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nAll within budget." if not over else "\nOver budget: " + "; ".join(over))
    return 1 if over else 0


def demo_articles(added: int) -> int:
    from blog.models import ArticlePage

    return ArticlePage.objects.count() - added


def visitor():
    """A browser halfway through booking: the session cookie on every request."""
    from django.test import Client

    from booking.models import Service

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    service = Service.objects.get(slug=http_bench.SERVICE_SLUG)
    client.post("/book/", {"service": service.pk}, secure=True)
    assert "sessionid" in client.cookies
    return client


def measure() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = visitor()
    results = {}
    for label, path, _ in PAGES:
        assert client.get(path, secure=True).status_code == 200, path
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            client.get(path, secure=True)
            times.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, secure=True)
        results[label] = (statistics.median(times), len(queries))
    anonymous = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    anonymous.get(PAGES[0][1], secure=True)
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        anonymous.get(PAGES[0][1], secure=True)
        times.append((time.perf_counter() - began) * 1000)
    results["cached"] = (statistics.median(times), 0)
    return results


def report(title: str, results: dict) -> list[str]:
    cached = results["cached"][0]
    print(f"\nWith {title}, a visitor with a session (median of {RUNS}, ms):")
    over = []
    for label, _, budget in PAGES:
        ms, queries = results[label]
        ok = ms <= budget
        print(
            f"   {label:<14} {ms:6.1f} ms  {queries:2d} queries  {ms / cached:5.1f} x the "
            f"cached page  (budget {budget} ms){'' if ok else '  OVER'}"
        )
        if not ok:
            over.append(f"{label} with {title}")
    print(f"   the anonymous article from the page cache: {cached:.1f} ms")
    return over


def add_articles(count: int) -> int:
    """Copies of the demo's articles, published, until there are ``count`` more."""
    from blog.models import ArticlePage

    originals = list(ArticlePage.objects.live())
    for number in range(count):
        original = originals[number % len(originals)]
        copy = original.copy(
            update_attrs={
                "slug": f"{original.slug}-{number}",
                "title": f"{original.title} ({number})",
            },
            keep_live=False,
            log_action=None,
        )
        copy.save_revision().publish(log_action=False)
    return count


if __name__ == "__main__":
    sys.exit(main())
