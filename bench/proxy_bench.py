"""The production stack under load: nginx's micro-cache against a static file, how soon a
publish shows through it, fifty patients booking at once, and the same fifty with the whole
stack held to one core (the cost of a practice: its memory printed).

It starts what `make drill` starts, with the drill's own code (deploy/drill/): in a
throwaway folder, PostgreSQL, Redis, nginx with deploy/nginx/practice.conf (its page cache
and purge server), two gunicorn app servers with deploy/systemd/'s command line and two
task workers, production settings and the demo content. Then, on loopback only:

1. The cached article through nginx against a static file of the same size served by the
   same nginx (wrk, bounded runs, five rounds of each taken in turns): budget at least
   0.5 x the static file's rate, the median of the rounds' ratios.
2. A publish, then requests through nginx until the new title shows: budget 1 s.
3. Fifty patients, each from an address of their own, arriving within five seconds and
   then booking together over HTTPS (service, time, details, health questions, review,
   confirm) on one connection each, kept open between pages as a browser keeps it (one
   TLS handshake a visit, not one a page), each for a different free time, each pausing
   one to three seconds between steps as a person reading and tapping does (without a
   pause fifty walks are five hundred requests in a second, a flood no practice sees):
   per step p50/p95, budget p95 at most 150 ms; no error; no two appointments of one
   practitioner overlapping. Sixteen bookings without pauses go first, unmeasured, so
   that each app process has rendered its pages once (a server in service has), and are
   checked for errors and overlaps with the rest.

Run as root (nginx and its purge module are installed with apt-get when missing; the
PostgreSQL cluster runs as the postgres user). About two to three minutes on 2 cores.
Exit status 1 over any budget.
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy" / "drill"))

import drill as production  # noqa: E402 (deploy/drill/ is put on the path just above)
import inside  # noqa: E402
import visitor as browser  # noqa: E402
from checks import ARTICLE, TITLE, Drill, Report  # noqa: E402
from stack import Stack, app_server_shape, unit_setting, wait_for_port  # noqa: E402

PROXY_BUDGET = 0.5
PUBLISH_BUDGET_S = 1.0
STEP_BUDGET_MS = 150
PATIENTS = 50
THINK_SECONDS = (1.0, 3.0)
# All fifty arrive within five seconds (a load tester's spawn rate), then walk together.
SPAWN_PER_SECOND = 10
# Bookings walked first, without pauses and not measured: every app process's first
# requests compile its templates and open its connections, which a server that has been
# up for a minute has long done (8 processes; each step's p95 would be their first).
WARM_UP = 16
WRK = ["-t2", "-c16", "--latency", "--timeout", "5s"]
PROXY_ROUNDS = 5
PROXY_SECONDS = 3


def main() -> int:
    if missing := production.prerequisites():
        print("The bench needs: " + ", ".join(missing))
        return 2
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed and could not be installed (apt-get install wrk, as root).")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="practice-proxy-bench-"))
    os.chmod(folder, 0o755)
    stack = Stack(folder)
    failures: list[str] = []
    try:
        production.prepare(stack)
        smtp_sink_apart(stack)
        drill = Drill(stack, Report())
        print(machine(stack))
        failures += proxy_against_static(drill, wrk)
        failures += publish_delay(drill)
        failures += fifty_patients(drill)
        failures += one_core(drill)
    finally:
        stack.stop_everything()
        stack.cleanup()
    print("\nAll within budget." if not failures else "\nOver budget: " + "; ".join(failures))
    return 1 if failures else 0


def smtp_sink_apart(stack: Stack) -> None:
    """The emails of the walks go to an SMTP server of their own process. The drill's, a
    thread of this one, took Python's lock from the fifty patients' threads to read each
    message as it came in, just as the next patients confirmed, and their times with it."""
    stack.stop_smtp()
    port = stack.ports["smtp"]
    sink = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    stack.spawn("smtp sink", [*sink, "-l", f"127.0.0.1:{port}"])
    wait_for_port(port, 30, stack.processes["smtp sink"])


def machine(stack: Stack) -> str:
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {stack.pg_bin.parent.name}, "
        f"load average {load}; nginx -> 2 gunicorn app servers ({app_server_shape()} each), "
        f"2 task workers (nice {unit_setting('practice-worker@.service', 'Nice') or 0}, "
        "for the process and its session)"
    )


def find_wrk() -> str | None:
    from shutil import which

    if which("wrk") is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True)
    return which("wrk")


def wrk_rate(wrk: str, url: str, seconds: int) -> tuple[float, float]:
    """Requests a second and the median latency in ms; ``AssertionError`` on any error."""
    out = subprocess.run(
        [wrk, *WRK, f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    if errors := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise AssertionError(f"{errors.group(1)} non-2xx answers from {url}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)", out, flags=re.MULTILINE)  # not "89.50%"
    return rate, float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]


def proxy_against_static(drill: Drill, wrk: str) -> list[str]:
    """Both through the same nginx, taken in turns (article, file; file, article; ...), so
    that the host's moments of noise fall on both: the ratio is the median of the rounds'."""
    stack = drill.stack
    guest = drill.visitor()
    page = browser.expect(guest.get(ARTICLE), 200, "the article")
    twin = stack.folder / "static" / "bench-article-twin.html"
    twin.write_bytes(page.body)
    kept = guest.get(ARTICLE).cache
    base = f"https://127.0.0.1:{stack.ports['https']}"
    urls = {"article": base + ARTICLE, "file": base + "/static/bench-article-twin.html"}
    for url in urls.values():
        wrk_rate(wrk, url, 2)  # warm up, not counted
    rounds = []
    for number in range(PROXY_ROUNDS):
        order = ["article", "file"] if number % 2 == 0 else ["file", "article"]
        rounds.append({name: wrk_rate(wrk, urls[name], PROXY_SECONDS) for name in order})
    ratios = sorted(measured["article"][0] / measured["file"][0] for measured in rounds)
    ratio = statistics.median(ratios)
    article = statistics.median(measured["article"][0] for measured in rounds)
    static = statistics.median(measured["file"][0] for measured in rounds)
    article_p50 = statistics.median(measured["article"][1] for measured in rounds)
    static_p50 = statistics.median(measured["file"][1] for measured in rounds)
    print(
        f"\n1. The article through nginx's page cache ({kept} after the first request): "
        f"{article:,.0f} req/s, p50 {article_p50:.2f} ms; the same {len(page.body):,} bytes as "
        f"a static file through the same nginx: {static:,.0f} req/s, p50 {static_p50:.2f} ms "
        f"(medians of {PROXY_ROUNDS} rounds of {PROXY_SECONDS} s each, taken in turns); ratio "
        f"{ratio:.2f}, the rounds' {', '.join(f'{r:.2f}' for r in ratios)} (budget {PROXY_BUDGET})"
    )
    return [] if ratio >= PROXY_BUDGET and kept == "HIT" else ["front cache against a file"]


def publish_delay(drill: Drill) -> list[str]:
    guest = drill.visitor()
    guest.get(ARTICLE)
    assert guest.get(ARTICLE).cache == "HIT"
    drained = inside.queue_drained()  # a worker in service, not one working through the demo
    new_title = f"Your first visit (bench {os.getpid()})"
    page_id = inside.draft_title("your-first-visit", new_title)
    from wagtail.models import Page

    revision = Page.objects.get(pk=page_id).specific.get_latest_revision()
    started = time.perf_counter()
    revision.publish()  # the task worker purges nginx's copy once this commits
    published = time.perf_counter()
    polls = 0
    while True:
        polls += 1
        answer = guest.get(ARTICLE)
        if new_title.encode() in (TITLE.search(answer.body) or [b""])[0]:
            break
        if time.perf_counter() - published > 60:  # nginx keeps a page a minute at most
            break
    seen = time.perf_counter() - published
    print(
        f"\n2. A publish took {published - started:.2f} s; the new title showed through nginx "
        f"{seen * 1000:.0f} ms after it returned (the worker's purge), at request {polls} "
        f"({answer.cache}) (budget {PUBLISH_BUDGET_S:.0f} s; the queue was "
        f"{'idle' if drained else 'still busy'} before it)"
    )
    return [] if seen <= PUBLISH_BUDGET_S else ["publish through the front cache"]


STEPS = [
    "service page",
    "choose service",
    "time page",
    "choose time",
    "details page",
    "send details",
    "health questions",
    "send answers",
    "review",
    "confirm",
]


def walk(guest: browser.Visitor, slot: str, number: int, service, *, paced: bool = True):
    """One patient's booking, each step timed; the steps as the forms send them. Paced:
    arriving at the spawn rate and pausing between steps, as a person does."""
    times: dict[str, float] = {}
    errors: list[str] = []

    pause = random.Random(number)

    def step(name: str, answer: browser.Answer, status: int) -> browser.Answer:
        times[name] = answer.seconds
        if answer.status != status:
            errors.append(f"{name} {answer.status}")
        if paced:
            time.sleep(pause.uniform(*THINK_SECONDS))
        return answer

    if paced:
        time.sleep(number / SPAWN_PER_SECOND)
    step("service page", guest.get("/book/"), 200)
    step("choose service", guest.post("/book/", {"service": service.pk, "practitioner": ""}), 302)
    step("time page", guest.get("/book/time/"), 200)
    step("choose time", guest.post("/book/time/", {"slot": slot}), 302)
    step("details page", guest.get("/book/details/"), 200)
    email = f"load.patient{number}@example.com"
    details = {**inside.details("Load", f"Patient{number:02d}", email), "website": ""}
    step("send details", guest.post("/book/details/", details), 302)
    step("health questions", guest.get("/book/health-questions/"), 200)
    step("send answers", guest.post("/book/health-questions/", inside.answers("Sitting")), 302)
    review = step("review", guest.get("/book/review/"), 200)
    key = browser.KEY.search(review.body)
    done = browser.confirm(guest, key.group(1).decode() if key else "")
    step("confirm", done, 302)
    if not browser.manage_path(done):
        errors.append("confirm did not lead to the manage link")
    guest.close()
    return times, errors


def fifty_patients(drill: Drill) -> list[str]:
    from booking.views.picker import encode_slot_choice

    free = inside.spread_slots(PATIENTS + WARM_UP, avoid=[])
    chosen = [encode_slot_choice(slot.start, slot.practitioner_id) for slot in free]
    warm, slots = chosen[:WARM_UP], chosen[WARM_UP:]
    with ThreadPoolExecutor(max_workers=len(warm)) as pool:
        warming = list(
            pool.map(
                lambda args: walk(
                    drill.visitor(keep_alive=True), args[1], args[0], drill.service, paced=False
                ),
                enumerate(warm, start=PATIENTS),
            )
        )
    warm_errors = [error for _, found in warming for error in found]
    guests = [drill.visitor(keep_alive=True) for _ in slots]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(slots)) as pool:
        results = list(
            pool.map(
                lambda args: walk(args[1], args[2], args[0], drill.service),
                zip(range(len(slots)), guests, slots, strict=True),
            )
        )
    took = time.perf_counter() - began
    errors = warm_errors + [error for _, found in results for error in found]
    overlaps = overlapping_appointments()
    print(
        f"\n3. {len(slots)} patients booking at once through nginx (each from its own address, "
        f"each a different time, {THINK_SECONDS[0]:.0f} to {THINK_SECONDS[1]:.0f} s between "
        f"steps) in {took:.1f} s, after {len(warm)} unmeasured bookings without pauses to "
        f"warm the app processes; per step, ms:"
    )
    over = []
    for name in STEPS:
        values = sorted(times[name] * 1000 for times, _ in results if name in times)
        p95 = values[max(0, round(0.95 * len(values)) - 1)]
        flag = "" if p95 <= STEP_BUDGET_MS else "  over budget"
        print(f"   {name:<17} p50 {statistics.median(values):6.0f}  p95 {p95:6.0f}{flag}")
        if flag:
            over.append(name)
    print(
        f"   errors: {errors or 'none'}; overlapping appointments afterwards: {overlaps} "
        f"(budget: p95 {STEP_BUDGET_MS} ms a step, no error, no overlap)"
    )
    failed = [f"booking step p95 ({', '.join(over)})"] if over else []
    return failed + (["booking errors"] if errors else []) + (["overlaps"] if overlaps else [])


def one_core(drill: Drill) -> list[str]:
    """The cost of a practice: the same fifty patients with the whole stack (nginx, one app
    server, one worker, PostgreSQL, Redis) held to one core, the patients' browsers on the
    other, and the stack's memory printed: the smallest virtual server (1 vCPU, 1 GB)."""
    stack = drill.stack
    if (os.cpu_count() or 1) < 2:
        print("\n4. One core: skipped (the patients' browsers need a core of their own).")
        return []
    stack.stop("app B")
    stack.stop("worker 2")
    roots = [p.pid for p in stack.processes.values() if p.poll() is None]
    pids = descendants([*roots, stack.postgres_pid() or 0])
    for pid in pids:
        subprocess.run(["taskset", "-a", "-p", "-c", "0", str(pid)], capture_output=True)
    os.sched_setaffinity(0, {1})
    before = memory_mib(pids)
    print(
        f"\n4. The stack held to one core ({len(pids)} processes: nginx, one app server of "
        f"{app_server_shape()}, one worker, PostgreSQL, Redis, the SMTP sink), "
        f"resident memory {before[0]:.0f} MiB (proportional, shared pages counted once: "
        f"{before[1]:.0f} MiB)."
    )
    failed = fifty_patients(drill)
    after = memory_mib(descendants([*roots, stack.postgres_pid() or 0]))
    print(
        f"   after the fifty: resident {after[0]:.0f} MiB, proportional {after[1]:.0f} MiB "
        "(aim: well within 1 GB with the system's own)"
    )
    return [f"one core: {name}" for name in failed]


def descendants(roots: list[int]) -> list[int]:
    """``roots`` and every process under them, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid for pid in roots if pid]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def memory_mib(pids: list[int]) -> tuple[float, float]:
    """Resident and proportional set sizes summed over ``pids``, in MiB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("Rss", "Pss"):
                    kib = int(value.split()[0])
                    rss, pss = (rss + kib, pss) if name == "Rss" else (rss, pss + kib)
        except OSError:
            continue
    return rss / 1024, pss / 1024


def overlapping_appointments() -> int:
    from django.db.models import F

    from booking.models import Appointment

    held = Appointment.objects.exclude(status="cancelled")
    return (
        sum(
            held.filter(
                practitioner_id=a.practitioner_id,
                starts_at__lt=a.blocked_until,
                blocked_until__gt=a.starts_at,
            )
            .exclude(pk=a.pk)
            .count()
            for a in held.only("pk", "practitioner_id", "starts_at", "blocked_until")
        )
        + held.filter(blocked_until__lt=F("ends_at")).count()
    )


if __name__ == "__main__":
    sys.exit(main())
