"""The site under gunicorn with production settings, measured with wrk on loopback.

What it does, in a throwaway folder (the project's database, media and static files are
never touched): migrates a new SQLite database, loads the demo content, collects the
static files, and starts gunicorn on 127.0.0.1 with ``practice.settings.production``
(plus the throwaway paths and one extra URL, below). Then, for the home page, the article
index, an article and the slot page, it prints requests per second and p50/p99 latency
from bounded wrk runs, the ratio to a static file of the same size served by the same
stack (the ceiling), the SQL queries of a first and a second request, and the slot
computation time. Budget: an article at least half the static file's rate.

The static file: production serves no static files from Django (the reverse proxy does),
so the ceiling is the article's own HTML saved to a file and served by Django's
``django.views.static.serve`` on an extra URL: the same gunicorn workers, the same
middleware, a file read instead of a page. What the page costs beyond that is what the
site adds.

Requests carry ``X-Forwarded-Proto: https`` as the TLS proxy would (production redirects
plain HTTP). The slot page needs a booking in progress: the bench starts one as a browser
would (the form, its CSRF token, the session cookie) and sends that cookie with wrk.

Usage: .venv/bin/python bench/http_bench.py (about a minute and a half on 2 cores). Needs
wrk, which it installs with apt-get when run as root.
"""

from __future__ import annotations

import base64
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CORES = os.cpu_count() or 1
# Two processes per core, two threads each. Threads serve wrk's keep-alive connections
# (sync workers close every connection): on this 2-core machine, cached article / static
# file / rendered article in req/s, under other load (load average 7 to 10): sync x2
# 2235/1159/38, sync x4 1152/704/56, gthread 2x4 6214/2677/31, gthread 4x2 4845/2020/84.
WORKERS = 2 * CORES
THREADS = 2
# As many connections as measured, so every worker has the page cached before timing.
WARM_UP = ["-t2", "-c16", "-d2s"]
MEASURE = ["-t2", "-c16", "-d6s", "--latency", "--timeout", "5s"]
ARTICLE_SLUG = "your-first-visit"
SERVICE_SLUG = "follow-up-treatment"
BUDGET = 0.5  # an article at least half the static file's rate
HTTPS = {"X-Forwarded-Proto": "https"}

# Production settings, with the throwaway folder's paths and the static twin's URL.
BENCH_SETTINGS = """\
from practice.settings.production import *  # noqa: F403

STATIC_ROOT = {folder!r} + "/static"
MEDIA_ROOT = {folder!r} + "/media"
ROOT_URLCONF = "bench_urls"
"""
BENCH_URLS = """\
from django.urls import path
from django.views.static import serve

from practice.urls import urlpatterns as site

urlpatterns = [path("bench/<path:path>", serve, {{"document_root": {twin!r}}}), *site]
"""


@dataclass
class Run:
    label: str
    path: str
    rate: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: str = ""


def main() -> int:
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed and could not be installed (apt-get install wrk, as root).")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="practice-http-bench-"))
    server = None
    try:
        port = free_port()
        env = bench_environment(folder, port)
        started = time.perf_counter()
        prepare(folder, env)
        print(f"Prepared a throwaway site in {time.perf_counter() - started:.0f} s.", flush=True)
        counts, slot_times, service_id = measure_in_process(folder, env)
        server = start_gunicorn(env, port, folder)
        base = f"http://127.0.0.1:{port}"
        article = f"/articles/{ARTICLE_SLUG}/"
        twin = make_static_twin(base, article, folder)
        session = start_booking(base, service_id)
        runs = [
            Run("home page", "/"),
            Run("article index", "/articles/"),
            Run("article", article),
            Run("article, not from the cache (session cookie)", article),
            Run("slot page (a booking in progress)", "/book/time/"),
            Run("static file, same size (the ceiling)", twin),
        ]
        for run in runs:
            cookie = session if run.path == "/book/time/" else None
            if "session cookie" in run.label:
                cookie = "sessionid=not-a-session"
            check_ok(base + run.path, cookie)
            measure_with_wrk(wrk, base, run, cookie)
        load = "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
        report(runs, counts, slot_times, load)
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def find_wrk() -> str | None:
    if shutil.which("wrk") is None and os.geteuid() == 0:
        print("Installing wrk with apt-get …", flush=True)
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(install, capture_output=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(folder: Path, port: int) -> dict[str, str]:
    (folder / "bench_settings.py").write_text(BENCH_SETTINGS.format(folder=str(folder)))
    (folder / "twin").mkdir()
    (folder / "bench_urls.py").write_text(BENCH_URLS.format(twin=str(folder / "twin")))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "console:",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "CACHE_URL": f"file://{folder / 'cache'}",
            # A key of the form production asks for (Fernet: 32 random bytes, base64).
            "INTAKE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(folder: Path, env: dict[str, str]) -> None:
    # Static files do not need the database: collected while it is migrated.
    collect = subprocess.Popen(
        [str(PYTHON), str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "createcachetable")
        manage(env, "load_demo_content")
    finally:
        if collect.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed")


def measure_in_process(folder: Path, env: dict[str, str]):
    """SQL queries per page (first request, then the same again) and slot computation
    times, through Django's test client on the same database and settings."""
    sys.path[:0] = [str(folder), str(ROOT)]
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from booking.models import Service

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    service = Service.objects.get(slug=SERVICE_SLUG)
    counts = {}
    for label, path in [
        ("home page", "/"),
        ("article index", "/articles/"),
        ("article", f"/articles/{ARTICLE_SLUG}/"),
        ("slot page", "/book/time/"),
    ]:
        if path == "/book/time/":
            client.post("/book/", {"service": service.pk}, secure=True)
        queries = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)
            queries.append(len(captured))
        counts[label] = queries
    return counts, slot_computation_times(service), service.pk


def slot_computation_times(service) -> dict[str, float]:
    """Median ms for 28 days of free times, every practitioner offering ``service``."""
    import datetime as dt

    from django.utils import timezone

    from booking import selectors, slots
    from booking.selectors.schedule import _window

    now = timezone.now()
    today = timezone.localdate(now)

    def free(**kwargs):
        return selectors.slot_list_free(
            service=service, practitioner=None, first_day=today, days=28, now=now, **kwargs
        )

    start, end = _window(today, 28, timezone.get_default_timezone())
    schedules = selectors.schedule_list_for(
        practitioners=selectors.practitioner_list_for_service(service=service),
        start=start,
        end=end,
    )
    policy = selectors.slot_policy_build(selectors.booking_policy_get())

    def arithmetic():
        return slots.free_slots(
            schedules=schedules,
            duration=dt.timedelta(minutes=service.duration_minutes),
            policy=policy,
            now=now,
            tz=timezone.get_default_timezone(),
            first_day=today,
            days=28,
        )

    free()
    return {
        "slots": len(free()),
        "from the database": median_ms(free),
        "arithmetic alone": median_ms(arithmetic),
    }


def median_ms(call, runs: int = 50) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def start_gunicorn(env: dict[str, str], port: int, folder: Path) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "practice.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--error-logfile",
        str(folder / "gunicorn.log"),
        "--log-level",
        "warning",
    ]
    # Its own process group, so stopping it stops its workers too.
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: see {folder / 'gunicorn.log'}")
        try:
            fetch(f"http://127.0.0.1:{port}/robots.txt")
            print(f"gunicorn: {WORKERS} x {THREADS} threads on 127.0.0.1:{port}", flush=True)
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer within a minute")


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers={**HTTPS, **(headers or {})})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read()


def check_ok(url: str, cookie: str | None) -> None:
    status, _, _ = fetch(url, headers={"Cookie": cookie} if cookie else None)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200")


def make_static_twin(base: str, article: str, folder: Path) -> str:
    """The article's HTML as a file: the same size, served by the same stack."""
    status, _, body = fetch(base + article)
    assert status == 200, status
    (folder / "twin" / "article.html").write_bytes(body)
    print(f"Static twin: the article's {len(body):,} bytes of HTML in a file.", flush=True)
    return "/bench/article.html"


def cookies_from(headers) -> dict[str, str]:
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def start_booking(base: str, service_id: int) -> str:
    """Choose a session on /book/ as a browser would; returns the Cookie header to send."""
    status, headers, body = fetch(f"{base}/book/")
    assert status == 200, status
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "service": service_id, "practitioner": ""}
    ).encode()
    host = base.removeprefix("http://")
    status, headers, _ = fetch(
        f"{base}/book/",
        data=form,
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"https://{host}/book/",
            "Origin": f"https://{host}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302, f"choosing a session answered {status}"
    cookies.update(cookies_from(headers))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def measure_with_wrk(wrk: str, base: str, run: Run, cookie: str | None) -> None:
    headers = ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    url = base + run.path
    subprocess.run([wrk, *WARM_UP, *headers, url], capture_output=True, check=True)
    output = subprocess.run(
        [wrk, *MEASURE, *headers, url], capture_output=True, text=True, check=True
    ).stdout
    run.rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    run.p50_ms = latency_ms(output, "50%")
    run.p99_ms = latency_ms(output, "99%")
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output)
    run.errors = "; ".join(problems)
    print(f"  measured {run.label}: {run.rate:.0f} req/s", flush=True)


def latency_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{CORES} cores ({model}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}"
    )


def report(runs: list[Run], counts: dict, slot_times: dict, load: str) -> None:
    ceiling = runs[-1].rate
    print(f"\nMachine: {machine()}")
    print(f"Load average while measuring (1, 5, 15 min): {load}")
    print(
        f"gunicorn {WORKERS} workers x {THREADS} threads (gthread); "
        f"wrk {' '.join(MEASURE)} per URL after a warm-up\n"
    )
    print(f"{'URL':46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>10}")
    for run in runs:
        print(
            f"{run.label:46} {run.rate:8.0f} {run.p50_ms:8.2f} {run.p99_ms:8.2f} "
            f"{run.rate / ceiling:9.2f}x"
        )
        if run.errors:
            print(f"    ! {run.errors}")
    print("\nSQL queries per page (first request, then the same request again):")
    for label, (first, second) in counts.items():
        print(f"  {label:20} {first:3} then {second}")
    print(
        f"\nSlot computation, 28 days, every practitioner ({slot_times['slots']} free slots), "
        "median of 50:"
    )
    for name in ("from the database", "arithmetic alone"):
        print(f"  {name:20} {slot_times[name]:6.2f} ms")
    article = next(run for run in runs if run.label == "article")
    verdict = "PASS" if article.rate >= BUDGET * ceiling else "FAIL"
    print(
        f"\nBudget: article >= {BUDGET} x static file: {article.rate / ceiling:.2f} x -> {verdict}"
    )


if __name__ == "__main__":
    sys.exit(main())
