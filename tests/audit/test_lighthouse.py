"""Lighthouse 12 scores at least 95 in every category on the pages that matter most.

Performance, accessibility, best practices and SEO, with Lighthouse's default mobile
settings (a mid-range phone on a slow 4G connection, simulated), on the home page, an
article and the booking steps. The later steps need a booking in progress: the test
client walks one on the live server's database and Lighthouse sends its session cookie.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.booking.helpers import details_data

from .pages import walk_to_details

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules/.bin/lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 95
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
)


def lighthouse(url: str, *, cookie: str | None = None) -> dict:
    """Lighthouse's report (its JSON, as a dict) for one page."""
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
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


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
    for name, path, cookie in pages:
        report = lighthouse(live_server.url + path, cookie=cookie)
        assert report["finalDisplayedUrl"].endswith(path), report["finalDisplayedUrl"]
        results[name] = scores(report)
        if lacking := shortfalls(report):
            problems[name] = lacking

    print(f"\nLighthouse {report['lighthouseVersion']}, mobile (minimum {MINIMUM})")
    print(f"  {'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, got in results.items():
        print(f"  {name:<24}" + "".join(f"{got[category]:>16}" for category in CATEGORIES))
    for name, lacking in problems.items():
        print(f"  {name}:")
        for line in lacking:
            print(f"      {line}")
    below = {
        name: {category: score for category, score in got.items() if score < MINIMUM}
        for name, got in results.items()
    }
    assert {name: low for name, low in below.items() if low} == {}
