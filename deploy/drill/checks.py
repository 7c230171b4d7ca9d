"""The drill's checks with everything running: configuration, nginx, a publish seen by
every app server, twenty patients racing for one time, two hundred emails, a worker
killed mid-send, and a moved appointment's old reminder."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import inside
import visitor as browser
from stack import Stack

ARTICLE = "/articles/your-first-visit/"
TITLE = re.compile(rb"<title>([^<]*)</title>")
# What tells one practitioner notice from another: with whom, and when.
WHEN = r"with [^\n]+\nWhen: [^\n]+"


class Report:
    def __init__(self):
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, figure: str) -> bool:
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}: {figure}", flush=True)
        self.results.append((name, ok, figure))
        return ok

    @property
    def failed(self) -> list[str]:
        return [name for name, ok, _ in self.results if not ok]


class Drill:
    """What every step shares: the stack, the report, and visitors' addresses."""

    def __init__(self, stack: Stack, report: Report):
        self.stack = stack
        self.report = report
        self.certificate = str(stack.folder / "tls.crt")
        self._next_address = 10
        self.lock = threading.Lock()
        self.kept: dict = {}  # what later steps (the restore) look for
        self.service = inside.service()
        self.used: list[dt.datetime] = []  # times handed out to visitors

    def visitor(self, *, keep_alive: bool = False) -> browser.Visitor:
        with self.lock:
            self._next_address += 1
            number = self._next_address
        return browser.Visitor(
            self.stack.ports["https"],
            self.certificate,
            address=f"127.0.{number // 250}.{number % 250 + 2}",
            keep_alive=keep_alive,
        )

    def direct(self, port: int) -> browser.Visitor:
        return browser.Visitor(port, self.certificate, direct=True)

    def walk_to_review(self, guest: browser.Visitor, slot: str, name: str, worse: str) -> str:
        service = self.service
        browser.choose_service(guest, service.slug, service.pk)
        browser.choose_time(guest, slot)
        email = f"{name.lower().replace(' ', '.')}@example.com"
        browser.give_details(guest, inside.details(*name.split(" ", 1), email))
        browser.answer_questions(guest, inside.answers(worse))
        return browser.review_key(guest)

    @staticmethod
    def _week_slots(guest, page: str, week: str) -> list[bytes]:
        """A week's free times: the time step shows one day and links the others; a manage
        link's move page shows the whole week."""
        answer = guest.get(f"{page}?week={week}")
        found = browser.SLOT.findall(answer.body)
        for day in dict.fromkeys(browser.DAY.findall(answer.body)):
            found += browser.SLOT.findall(guest.get(f"{page}?week={week}&day={day.decode()}").body)
        return list(dict.fromkeys(found))

    def slot_values(self, count: int, page: str = "/book/time/", guest=None) -> list[str]:
        """``count`` free times from the time page (or a manage link's move page), two
        hours apart so that booking one never takes another, from the weeks ahead."""
        if guest is None:
            guest = self.visitor()
            browser.choose_service(guest, self.service.slug, self.service.pk)
        found: list[str] = []
        for week in range(1, 10):
            for value in self._week_slots(guest, page, inside.week_ahead(week)):
                start = dt.datetime.fromisoformat(value.decode().split("|")[0])
                if all(abs(start - taken) >= dt.timedelta(hours=2) for taken in self.used):
                    self.used.append(start)
                    found.append(value.decode())
                    if len(found) == count:
                        return found
        return found


def configuration(drill: Drill) -> None:
    stack, report = drill.stack, drill.report
    result = stack.manage(
        "check", "--deploy", "--database", "default", "--fail-level", "WARNING", check=False
    )
    report.check(
        "manage.py check --deploy --database default (production settings)",
        result.returncode == 0 and "no issues" in result.stdout,
        result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-300:],
    )
    without_email = {k: v for k, v in stack.env.items() if k != "EMAIL_URL"}
    port = inside_free_port()
    stack.spawn("app, no EMAIL_URL", _gunicorn_on(port), env=without_email)
    process = stack.processes["app, no EMAIL_URL"]
    try:
        code = process.wait(timeout=60)
    finally:
        stack.stop("app, no EMAIL_URL")
    log = (stack.folder / "app,-no-EMAIL_URL.log").read_text()
    report.check(
        "gunicorn without EMAIL_URL stops with the variable named, no traceback",
        code != 0 and "EMAIL_URL must be set for production" in log and "Traceback" not in log,
        f"exit {code}; says {line_with(log, 'EMAIL_URL')!r}",
    )
    wrong = {**stack.env, "INTAKE_ENCRYPTION_KEYS": "not-a-fernet-key"}
    result = stack.manage("check", env=wrong, check=False)
    report.check(
        "a wrong encryption key stops manage.py with the variable named, no traceback",
        result.returncode != 0
        and "INTAKE_ENCRYPTION_KEYS: key 1 of 1" in result.stderr
        and "Traceback" not in result.stderr
        and "not-a-fernet-key" not in result.stderr,
        line_with(result.stderr, "INTAKE_ENCRYPTION_KEYS"),
    )
    result = stack.manage("publish_scheduled", check=False)
    report.check(
        "the publish timer's command (manage.py publish_scheduled)",
        result.returncode == 0,
        f"exit {result.returncode}",
    )


def _gunicorn_on(port: int) -> list[str]:
    from stack import replace_option, unit_command

    return replace_option(unit_command("practice-web.service"), "--bind", f"127.0.0.1:{port}")


def inside_free_port() -> int:
    from stack import free_port

    return free_port()


def line_with(text: str, needle: str) -> str:
    return next((line.strip() for line in text.splitlines() if needle in line), "")


def nginx(drill: Drill) -> None:
    guest, report = drill.visitor(), drill.report
    home = guest.get("/")
    css = re.search(rb'href="(/static/[^"]+\.css)"', home.body)
    static = guest.get(css.group(1).decode()) if css else None
    report.check(
        "nginx serves /static/ itself (no app server behind it)",
        static is not None
        and static.status == 200
        and not static.upstream
        and "immutable" in static.headers.get("Cache-Control", ""),
        f"{css.group(1).decode() if css else 'no stylesheet'}: {static.status if static else '-'}, "
        f"Cache-Control {static.headers.get('Cache-Control') if static else ''}",
    )
    image = re.search(rb'src="(/media/[^"]+)"', guest.get(ARTICLE).body) or re.search(
        rb'src="(/media/[^"]+)"', home.body
    )
    media = guest.get(image.group(1).decode()) if image else None
    report.check(
        "nginx serves /media/ itself",
        media is not None and media.status == 200 and not media.upstream,
        f"{image.group(1).decode() if image else 'no image on the page'}: "
        f"{media.status if media else '-'}, {len(media.body) if media else 0:,} bytes",
    )
    plain = browser.Visitor(drill.stack.ports["http"], drill.certificate, direct=True)
    moved = plain.get("/book/")
    report.check(
        "plain HTTP is sent to HTTPS",
        moved.status == 301 and moved.location.startswith("https://"),
        f"{moved.status} -> {moved.location}",
    )
    hsts = home.headers.get("Strict-Transport-Security", "")
    booking = guest.get("/book/")
    cookies = booking.headers.get_all("Set-Cookie") or []
    secure = bool(cookies) and all("Secure" in cookie for cookie in cookies)
    report.check(
        "Django sees HTTPS through nginx (X-Forwarded-Proto): HSTS, secure cookies",
        home.status == 200 and "max-age=" in hsts and secure,
        f"home {home.status}, Strict-Transport-Security: {hsts}; booking page's "
        f"{len(cookies)} cookie(s) all Secure: {secure}",
    )
    stranger, personal = drill.visitor().get(ARTICLE), guest.get(ARTICLE)
    report.check(
        "nginx keeps public pages for strangers only: a visitor with a cookie is passed through",
        stranger.cache in {"HIT", "MISS"} and personal.cache == "BYPASS" and guest.cookies,
        f"an article without cookies: {stranger.cache}; with the booking page's cookies "
        f"({', '.join(sorted(guest.cookies))}): {personal.cache} "
        f"(from {personal.upstream or 'no app server'})",
    )


def publish_seen_everywhere(drill: Drill) -> None:
    stack = drill.stack
    guest = drill.visitor()
    app_a, app_b = drill.direct(stack.ports["app_a"]), drill.direct(stack.ports["app_b"])
    inside.queue_drained()  # a worker in service, not one working through the demo's load
    old = TITLE.search(guest.get(ARTICLE).body).group(1).decode()
    kept = [guest.get(ARTICLE) for _ in range(3)]
    for server in (app_a, app_b):  # each app server has the page in the shared cache too
        server.get(ARTICLE)
    new_title = f"Your first visit (drill {os.getpid()})"
    page_id = inside.draft_title("your-first-visit", new_title)
    code = inside.staff_with_authenticator("drill-admin", "drill-Pass-9431")
    admin = drill.direct(stack.ports["app_a"])
    browser.expect(admin.get("/admin/login/"), 200, "the admin's sign-in page")
    signed = admin.post(
        "/admin/login/",
        {"username": "drill-admin", "password": "drill-Pass-9431", "next": "/admin/"},
    )
    browser.expect(signed, 302, "signing in")
    browser.expect(admin.get("/admin/two-factor/verify/?next=/admin/"), 200, "the code page")
    verified = admin.post("/admin/two-factor/verify/", {"otp_token": code(), "next": "/admin/"})
    browser.expect(verified, 302, "the authenticator code")
    path = inside.bulk_publish_path(page_id)
    browser.expect(admin.get(path), 200, "the publish confirmation")
    published = admin.post(path, {"include_descendants": ""})
    returned = time.monotonic()
    # Both app servers at once: their shared page cache was emptied in the publish itself.
    direct = [server.get(ARTICLE) for server in (app_a, app_b)]
    # nginx keeps a page a minute at most, and forgets it when the worker's purge comes in.
    while time.monotonic() - returned < 60:
        through_nginx = guest.get(ARTICLE)
        if new_title.encode() in through_nginx.body:
            break
        time.sleep(0.05)
    purged_after = time.monotonic() - returned
    seen = [guest.get(ARTICLE) for _ in range(4)]
    titles = {TITLE.search(answer.body).group(1).decode() for answer in [*direct, *seen]}
    drill.report.check(
        "nginx keeps public pages and forgets them on publish; app servers share their cache",
        published.status == 302
        and {answer.cache for answer in kept} == {"HIT"}
        and all(new_title in title for title in titles)
        and purged_after < 5
        and seen[-1].cache == "HIT",
        f"before {old!r}, kept by nginx ({', '.join(a.cache for a in kept)}); publish on A "
        f"answered {published.status}; A and B straight after it show the new title; "
        f"through nginx after {purged_after * 1000:.0f} ms (the worker's purge), then "
        f"{', '.join(a.cache or '-' for a in seen)}",
    )


def race(drill: Drill) -> None:
    slot = drill.slot_values(1)[0]
    guests = [drill.visitor() for _ in range(20)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        keys = list(
            pool.map(
                lambda pair: drill.walk_to_review(pair[1], slot, f"Racer R{pair[0]:02d}", "Racing"),
                enumerate(guests),
            )
        )
    barrier = threading.Barrier(len(guests))

    def confirm(pair):
        guest, key = pair
        barrier.wait()
        return browser.confirm(guest, key)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(guests)) as pool:
        answers = list(pool.map(confirm, zip(guests, keys, strict=True)))
    took = time.perf_counter() - started
    booked = [answer for answer in answers if browser.manage_path(answer)]
    taken = [answer for answer in answers if answer.status == 409]
    other = [answer.status for answer in answers if answer not in booked and answer not in taken]
    start = dt.datetime.fromisoformat(slot.split("|")[0])
    in_database = inside.appointments_at(start)
    servers = sorted({answer.upstream for answer in answers})
    drill.report.check(
        "twenty patients race for one time across both app servers: exactly one appointment",
        len(booked) == 1 and len(taken) == 19 and not other and in_database == 1,
        f"20 confirmations in {took * 1000:.0f} ms through {', '.join(servers)}: "
        f"{len(booked)} booked, {len(taken)} told the time was taken (409), other answers "
        f"{other or 'none'}; appointments at that time in the database: {in_database}",
    )
    drill.report.check(
        "each visitor's own address reaches Django (no one refused by the 10-an-hour limit)",
        429 not in other,
        f"20 visitors from 20 loopback addresses, {other.count(429)} refused with 429",
    )


def emails(drill: Drill) -> None:
    inbox = drill.stack.inbox
    slots = inside.spread_slots(100, avoid=drill.used)
    started = time.perf_counter()
    booked = [
        inside.book(slot, first="Mass", last=f"M{n:03d}", email=f"mass-{n:03d}@example.com")
        for n, slot in enumerate(slots)
    ]
    queued_in = time.perf_counter() - started
    addresses = {f"mass-{n:03d}@example.com" for n in range(len(booked))}

    def done() -> tuple[int, int]:
        patient = sum(inbox.count(address) for address in addresses)
        practitioner = len(inbox.keys("New booking", "Patient: Mass M.", WHEN))
        return patient, practitioner

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(done()) < 2 * len(booked):
        time.sleep(0.5)
    took = time.perf_counter() - started
    time.sleep(3)  # anything sent twice would arrive now
    patient, practitioner = done()
    each_once = all(inbox.count(address) == 1 for address in addresses)
    notices = inbox.keys("New booking", "Patient: Mass M.", WHEN)
    distinct = len(set(notices)) == len(notices) == len(booked)
    by_worker = inside.workers_that_ran([a.pk for a in booked])
    drill.report.check(
        "two hundred queued emails with both workers: each sent exactly once",
        len(booked) == 100 and each_once and distinct and patient + practitioner == 200,
        f"{len(booked)} bookings queued {2 * len(booked)} emails in {queued_in:.1f} s; "
        f"the SMTP server accepted {patient} confirmations (one per patient: {each_once}) and "
        f"{practitioner} practitioner notices (all different: {distinct}) in {took:.1f} s; "
        f"tasks per worker {by_worker}",
    )


def killed_worker(drill: Drill) -> None:
    stack, inbox = drill.stack, drill.stack.inbox
    slot = inside.spread_slots(1, avoid=drill.used)[0]
    address = "killed-mid-send@example.com"
    inbox.hold(address, seconds=8)
    appointment = inside.book(slot, first="Kill", last="Midsend", email=address)
    if not inbox.held.wait(30):
        drill.report.check(
            "a worker killed mid-send", False, "the email never reached the SMTP server"
        )
        return
    task = inside.tasks_for(appointment.pk, "send_patient_email").get()
    worker_id = task.worker_ids[-1]
    name = f"worker {worker_id.rsplit('-', 1)[-1]}"
    process = stack.processes.pop(name)  # out of the supervisor's sight first
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    killed_at = time.perf_counter()
    inbox.hold(None)
    status_after_kill = inside.tasks_for(appointment.pk, "send_patient_email").get().status
    stack.start_worker(int(name.split()[-1]))
    requeued = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and inbox.count(address, "confirmed") < 1:
        # What the requeue timer does every two minutes, with a shorter wait than its
        # ten-minute TASK_STALLED_AFTER.
        result = stack.manage("requeue_stalled_tasks", "--older-than", "3")
        requeued = requeued or result.stdout.strip()
        time.sleep(1)
    sent_after = time.perf_counter() - killed_at
    time.sleep(7)  # the held connection gives up; anything sent twice would arrive now
    sent = inbox.count(address, "confirmed")
    drill.report.check(
        "a worker SIGKILLed mid-send: the email still goes out, once, when a worker runs again",
        sent == 1 and status_after_kill == "RUNNING" and bool(requeued),
        f"{worker_id} killed in the middle of its SMTP conversation; its task stayed "
        f"{status_after_kill}; requeue_stalled_tasks: {requeued!r}; the email accepted "
        f"{sent} time(s), {sent_after:.1f} s after the kill",
    )


def moved_reminder(drill: Drill) -> None:
    inbox = drill.stack.inbox
    slot = inside.spread_slots(1, avoid=drill.used)[0]
    address = "moved-reminder@example.com"
    appointment = inside.book(slot, first="Moving", last="Reminder", email=address)
    inside.notices_queued(appointment.pk)  # the first time's reminder is set
    guest = drill.visitor()
    path = inside.manage_path(appointment)
    new_slot = drill.slot_values(1, page=f"{path}change/", guest=guest)[0]
    moved = guest.post(f"{path}change/", {"slot": new_slot})
    inside.notices_queued(appointment.pk)  # and the new time's
    reminders = inside.tasks_for(appointment.pk, "send_reminder")
    waiting = reminders.filter(status="READY").count()
    inside.make_due(appointment.pk, "send_reminder")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and reminders.filter(status="READY").exists():
        time.sleep(0.5)
    time.sleep(2)
    outcomes = sorted(str(task.return_value) for task in reminders.all())
    sent = inbox.count(address, "Reminder")
    new_local = new_slot.split("|")[0]
    drill.report.check(
        "a reminder for a moved appointment is never sent; the new time's is sent once",
        moved.status == 302 and waiting == 2 and outcomes == ["not due", "sent"] and sent == 1,
        f"moved through the manage link ({moved.status}) to {new_local}; {waiting} reminders "
        f"waiting, both made due now: {outcomes}; reminders accepted by SMTP: {sent}",
    )


def latency_ms(answers) -> str:
    return f"median {statistics.median(a.seconds for a in answers) * 1000:.1f} ms"
