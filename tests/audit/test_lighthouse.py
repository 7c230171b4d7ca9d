"""Lighthouse 12 scores at least 95 in every category on the pages that matter most.

Performance, accessibility, best practices and SEO, with Lighthouse's default mobile
settings (a mid-range phone on a slow 4G connection, simulated), on the home page, an
article and the booking steps. A page below the minimum is measured twice more and its
median counts (see ``measure``). The later steps need a booking in progress: the test
client walks one on the live server's database and Lighthouse sends its session cookie.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.booking.walk import details_data
from tests.support import CHROMIUM, CHROMIUM_ARGS

from .pages import walk_to_details

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules/.bin/lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 95
RERUNS = 2  # more runs of a page whose first run is below the minimum
CHROME_FLAGS = " ".join(["--headless=new", *(arg for arg in CHROMIUM_ARGS if arg != "--headless")])


# Lighthouse's own trace recording sometimes fails on a busy machine ("Something went
# wrong with recording the trace", NO_NAVSTART): that run measured nothing, so it is
# made again, a bounded number of times. Any other failure fails the test.
TRACE_FAILURES = ("NO_NAVSTART", "NO_FCP", "NO_TRACING_STARTED", "PROTOCOL_TIMEOUT")
ATTEMPTS = 3


def lighthouse(url: str, *, cookie: str | None = None) -> dict:
    """Lighthouse's report (its JSON, as a dict) for one page."""
    for _ in range(ATTEMPTS - 1):
        done = _run_lighthouse(url, cookie)
        if not any(code in done.stderr for code in TRACE_FAILURES):
            break
    else:
        done = _run_lighthouse(url, cookie)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _run_lighthouse(url: str, cookie: str | None) -> subprocess.CompletedProcess:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def scores(report: dict) -> dict[str, int]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def shortfalls(report: dict) -> list[str]:
    """The audits that cost points, in every category short of 100."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if (category["score"] or 0) == 1:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or ""
                lines.append(f"{name}: {audit['title']} ({audit['score']:.2f}) {shown}".strip())
    return lines


def measure(url: str, *, cookie: str | None) -> tuple[dict, list[dict]]:
    """The report that counts for one page, and every run made.

    One run, or three when the first is below the minimum, and then the run with the
    median performance counts: performance varies from run to run, the more so on a busy
    machine, and Lighthouse's own advice is the median of several runs. A page that is
    really slow is slow in two runs out of three, and fails.
    """
    runs = [lighthouse(url, cookie=cookie)]
    if min(scores(runs[0]).values()) < MINIMUM:
        runs += [lighthouse(url, cookie=cookie) for _ in range(RERUNS)]
    by_performance = sorted(runs, key=lambda report: scores(report)["performance"])
    return by_performance[len(runs) // 2], runs


def session_at_health_questions() -> str:
    """A session cookie for a booking that has reached the health questions."""
    client = Client()
    walk_to_details(client)
    assert client.post("/book/details/", details_data()).status_code == 302
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lighthouse_scores(live_server):
    if not LIGHTHOUSE.exists():
        pytest.fail(f"Lighthouse is missing: run `make node` to install {LIGHTHOUSE}.")
    booking = session_at_health_questions()
    pages = [
        ("home", "/", None),
        ("article", "/articles/your-first-visit/", None),
        ("book: service", "/book/", None),
        ("book: time", "/book/time/", booking),
        ("book: details", "/book/details/", booking),
        ("book: health questions", "/book/health-questions/", booking),
    ]
    results = {}
    problems = {}
    reruns = {}
    for name, path, cookie in pages:
        report, runs = measure(live_server.url + path, cookie=cookie)
        assert report["finalDisplayedUrl"].endswith(path), report["finalDisplayedUrl"]
        results[name] = scores(report)
        if lacking := shortfalls(report):
            problems[name] = lacking
        if len(runs) > 1:
            reruns[name] = [scores(run)["performance"] for run in runs]

    print(f"\nLighthouse {report['lighthouseVersion']}, mobile (minimum {MINIMUM})")
    print(f"  {'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, got in results.items():
        print(f"  {name:<24}" + "".join(f"{got[category]:>16}" for category in CATEGORIES))
    for name, performance in reruns.items():
        shown = ", ".join(map(str, performance))
        print(f"  {name}: below {MINIMUM} at first, so run {len(performance)} times")
        print(f"      performance {shown}; the median counts")
    for name, lacking in problems.items():
        print(f"  {name}, what cost points:")
        for line in lacking:
            print(f"      {line}")
    below = {
        name: {category: score for category, score in got.items() if score < MINIMUM}
        for name, got in results.items()
    }
    assert {name: low for name, low in below.items() if low} == {}


def _fake_report(performance: int) -> dict:
    return {
        "categories": {name: {"score": 1.0} for name in CATEGORIES}
        | {"performance": {"score": performance / 100}}
    }


@pytest.mark.parametrize(
    "performance, counted, runs",
    [([100], 100, 1), ([78, 100, 99], 99, 3), ([80, 70, 100], 80, 3), ([90, 90, 99], 90, 3)],
)
def test_a_page_below_the_minimum_is_measured_three_times(monkeypatch, performance, counted, runs):
    given = iter(performance)
    monkeypatch.setattr(
        "tests.audit.test_lighthouse.lighthouse", lambda url, cookie: _fake_report(next(given))
    )
    report, made = measure("http://127.0.0.1/", cookie=None)
    assert (scores(report)["performance"], len(made)) == (counted, runs)
