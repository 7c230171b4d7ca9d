"""Parts taken away under the running site: PostgreSQL restarted under traffic, Redis
stopped, the mail server down."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import inside
import visitor as browser
from checks import ARTICLE, Drill

ERROR_PAGE = b"Something went wrong"


class Traffic:
    """Visitors reading pages and booking, in threads, until stopped; every answer kept."""

    def __init__(self, drill: Drill, slots: list[str]):
        self.drill = drill
        self.slots = slots
        self.stop = threading.Event()
        self.pages: list[tuple[float, int]] = []  # (time, status) of uncached page views
        self.cached: list[tuple[float, int]] = []
        self.confirmed: list[str] = []  # manage links of bookings the visitor saw confirmed
        self.booking_errors: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def read_pages(self) -> None:
        fresh = self.drill.visitor()
        fresh.cookies["sessionid"] = "not-a-session"  # skips the page cache: needs the database
        anonymous = self.drill.visitor()
        while not self.stop.is_set():
            for guest, kept in ((fresh, self.pages), (anonymous, self.cached)):
                try:
                    status = guest.get(ARTICLE).status
                except OSError:
                    status = 0
                with self.lock:
                    kept.append((time.monotonic(), status))
            time.sleep(0.1)

    def book(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                if not self.slots:
                    return
                slot = self.slots.pop(0)
                number = len(self.slots)
            guest = self.drill.visitor()
            try:
                # A person of their own each: the same email and date of birth again would
                # be a returning patient, asked the short questions.
                visitor_name = f"Traffic Visitor{number}"
                key = self.drill.walk_to_review(guest, slot, visitor_name, "Stairs")
                answer = browser.confirm(guest, key)
                path = browser.manage_path(answer)
                if path:
                    with self.lock:
                        self.confirmed.append(path)
                else:
                    raise AssertionError(f"confirming answered {answer.status}")
            except (AssertionError, OSError) as error:
                with self.lock:
                    self.booking_errors.append((time.monotonic(), str(error)[:80]))
                time.sleep(0.3)


def postgres_restart(drill: Drill) -> None:
    stack = drill.stack
    slots = drill.slot_values(30)
    midway = drill.visitor()
    drill.walk_to_review(midway, slots.pop(), "Midway Booker", "Midway marker")
    traffic = Traffic(drill, slots)
    threads = [threading.Thread(target=traffic.read_pages)] + [
        threading.Thread(target=traffic.book) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    time.sleep(3)
    old_pid = stack.postgres_pid()
    down_at = time.monotonic()
    stack.restart_postgres()
    up_at = time.monotonic()
    inside.reconnect()
    time.sleep(8)
    traffic.stop.set()
    for thread in threads:
        thread.join(timeout=30)
    after = [(t, s) for t, s in traffic.pages if t > up_at]
    back = next((t - up_at for t, s in after if s == 200), None)
    during = Counter(s for t, s in traffic.pages if down_at <= t <= up_at + 2 and s != 200)
    failed_during = f"{sum(during.values())} ({', '.join(f'{n} x {s}' for s, n in during.items())})"
    cached_bad = sum(1 for _, s in traffic.cached if s != 200)
    confirmed_later = list(traffic.confirmed)
    booked_after = sum(1 for t, _ in traffic.booking_errors if t > up_at + 3)
    present = inside.appointments_by_token(confirmed_later)
    drill.report.check(
        "PostgreSQL restarted under traffic: pages come back by themselves",
        back is not None and all(s == 200 for t, s in after if t > up_at + (back or 0) + 0.5),
        f"restart took {up_at - down_at:.1f} s (postmaster {old_pid} -> {stack.postgres_pid()}); "
        f"uncached article {len(traffic.pages)} views, {failed_during} failed while it was down, "
        f"first 200 {back:.2f} s after it was up; cached article {len(traffic.cached)} views, "
        f"{cached_bad} failed"
        if back is not None
        else "no page served after the restart",
    )
    drill.report.check(
        "no booking that was confirmed is missing",
        len(confirmed_later) > 0 and present == len(confirmed_later) and booked_after == 0,
        f"{len(confirmed_later)} bookings confirmed to their visitors during the drill, "
        f"{present} in the database; {len(traffic.booking_errors)} attempts refused while "
        f"it was down, {booked_after} more than 3 s after it was up",
    )
    review = midway.get("/book/review/")
    kept = review.status == 200 and b"Midway" in review.body
    answer = (
        browser.confirm(midway, browser.KEY.search(review.body).group(1).decode()) if kept else None
    )
    path = browser.manage_path(answer) if answer else None
    if path:
        drill.kept["midway"] = path
    drill.report.check(
        "the visitor in the middle of a booking keeps what they typed",
        kept and path is not None,
        f"review page after the restart {review.status}, their name on it: {kept}; "
        f"confirmed: {answer.status if answer else '-'}",
    )
    drill.kept["worker restarts"] = dict(drill.kept.get("supervisor", {}))


def redis_stopped(drill: Drill) -> None:
    stack = drill.stack
    guest = drill.visitor()
    paths = ["/", "/articles/", ARTICLE, "/book/"]
    warm = [guest.get(path) for path in paths for _ in range(5)]
    stack.stop("redis")
    down = [guest.get(path) for path in paths for _ in range(5)]
    bad = [a.status for a in down if a.status != 200 or ERROR_PAGE in a.body]
    slot = drill.slot_values(1)[0]
    booker = drill.visitor()
    answer = browser.confirm(booker, drill.walk_to_review(booker, slot, "Redis Down", "Cache"))
    drill.report.check(
        "Redis stopped: pages still served, no error page; booking works",
        not bad and browser.manage_path(answer) is not None,
        f"{len(down)} page views, {len(bad)} not 200; {_median(down)} without Redis against "
        f"{_median(warm)} with it; a booking without Redis: {answer.status}",
    )
    stack.start_redis()
    again = [guest.get(path) for path in paths for _ in range(5)]
    import redis

    keys = redis.Redis(host="127.0.0.1", port=stack.ports["redis"]).dbsize()
    drill.report.check(
        "Redis back: the cache fills again",
        all(a.status == 200 for a in again) and keys > 0,
        f"{len(again)} page views all 200, {_median(again)}; {keys} keys in Redis",
    )


def _median(answers) -> str:
    return f"median {statistics.median(a.seconds for a in answers) * 1000:.1f} ms"


def smtp_down(drill: Drill, outage_seconds: float = 20) -> None:
    stack, inbox = drill.stack, drill.stack.inbox
    stack.stop_smtp()
    slots = drill.slot_values(3)
    guests = [drill.visitor() for _ in slots]

    def book(pair):
        guest, (n, slot) = pair
        key = drill.walk_to_review(guest, slot, f"Mailwait W{n}", "Mail")
        return browser.manage_path(browser.confirm(guest, key))

    with ThreadPoolExecutor(max_workers=3) as pool:
        paths = list(pool.map(book, zip(guests, enumerate(slots), strict=True)))
    appointments = [inside.appointment_for(path) for path in paths if path]
    addresses = [a.patient.email for a in appointments]
    time.sleep(outage_seconds)
    during = sum(inbox.count(address) for address in addresses)
    attempts = [
        task.args_kwargs["kwargs"].get("attempt", 1)
        for a in appointments
        for task in inside.tasks_for(a.pk, "send_patient_email")
    ]
    stack.start_smtp()
    returned = time.monotonic()
    deadline = returned + 30
    expected = 2 * len(appointments)

    def delivered() -> int:
        patients = sum(inbox.count(address) for address in addresses)
        notices = len(inbox.keys("", "Patient: Mailwait W", r"Patient: [^\n]+"))
        return patients + notices

    while time.monotonic() < deadline and delivered() < expected:
        time.sleep(0.5)
    took = time.monotonic() - returned
    time.sleep(3)
    each_once = all(inbox.count(address) == 1 for address in addresses)
    drill.report.check(
        f"SMTP down (ten minutes, shortened to {outage_seconds:.0f} s by TASK_RETRY_*): "
        "every email waits and goes out once when it returns",
        len(appointments) == 3 and during == 0 and delivered() == expected and each_once,
        f"{len(appointments)} bookings made while it was down, {expected} emails; accepted "
        f"meanwhile {during}; tried up to {max(attempts, default=0)} times each; all "
        f"{delivered()} out {took:.1f} s after it returned, each once: {each_once}",
    )


def page_flood(drill: Drill) -> None:
    """Six hundred anonymous requests for addresses nobody links to: made-up page numbers and
    topics, unknown parameters, ports in the Host header. Then the same pages with Redis
    capped below what it holds, refusing writes (its default policy when full)."""
    import redis

    stack = drill.stack
    pages = redis.Redis(host="127.0.0.1", port=stack.ports["redis"], db=1)
    guest = drill.visitor()
    for path in ("/", "/articles/", ARTICLE):  # the real pages, kept once
        guest.get(path)
    before = pages.dbsize()
    made_up = [
        *[(f"/articles/?page={n}", "") for n in range(2, 152)],
        *[(f"/articles/?topic=made-up-{n}", "") for n in range(150)],
        *[(f"{ARTICLE}?utm_source=flood-{n}&x={n}", "") for n in range(150)],
        *[("/", f"127.0.0.1:{1024 + n}") for n in range(150)],
    ]
    answers = [guest.get(path, host=host) for path, host in made_up]
    added = pages.dbsize() - before
    errors = [a.status for a in answers if a.status >= 500]
    drill.report.check(
        "a flood of made-up addresses adds (almost) nothing to the page cache, and no error",
        not errors and added <= 30,
        f"{len(answers)} requests: {sorted({a.status for a in answers})}; "
        f"{added} keys added to the page cache ({before} before)",
    )
    server = redis.Redis(host="127.0.0.1", port=stack.ports["redis"])
    pages.flushdb()  # nothing kept: every page is rendered and written again
    server.set("drill:fill", b"x" * (2 * 1024 * 1024))
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", "1mb")  # well over its cap: every write refused
    try:
        full = [drill.visitor().get(path) for path in ("/", "/articles/", ARTICLE) * 5]
        refused = False
        try:
            pages.set("drill:probe", b"x")
        except redis.exceptions.OutOfMemoryError:
            refused = True
    finally:
        server.config_set("maxmemory", 0)
        server.delete("drill:fill")
    drill.report.check(
        "Redis full and refusing writes: pages are still served",
        refused and all(a.status == 200 for a in full),
        f"{len(full)} page views with Redis over its cap (writes refused: {refused}): "
        f"{sorted({a.status for a in full})}",
    )
