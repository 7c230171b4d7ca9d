"""What the drill does inside Django (its own process, the same settings and database as
the app servers): test data made through the booking service, and reading back what the
servers and workers did."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
import uuid
from pathlib import Path


def setup(env: dict[str, str], folder: Path, root: Path) -> None:
    sys.path[:0] = [str(folder), str(root)]
    os.environ.update(env)
    import django

    django.setup()


def reconnect() -> None:
    """After PostgreSQL restarted, this process's connection is gone."""
    from django.db import connections

    connections.close_all()


def service():
    """The session the drill's new patients book: the one open to new patients (the demo's
    follow-ups are for patients seen before)."""
    from booking.models import Service

    return Service.objects.get(slug="new-patient-visit")


# Area codes in use, each with the 100 numbers kept for fiction (555-0100 to 555-0199).
AREA_CODES = ("212", "312", "415", "617", "718", "202", "303", "404", "503", "602")


def details(first: str, last: str, email: str) -> dict:
    """A made-up patient: a phone number of their own, as real patients have (one number
    may hold only so many online bookings, ONLINE_BOOKINGS_AHEAD)."""
    number = int(hashlib.sha256(email.encode()).hexdigest(), 16) % 1000
    area = AREA_CODES[number // 100]
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": f"({area}) 555-{100 + number % 100:04d}",
        "date_of_birth": "1980-05-01",
    }


def answers(worse: str) -> list[tuple[str, str]]:
    """The new patient's health questions with nothing to report; ``worse`` is free text,
    stored encrypted, that the restore step looks for."""
    from booking import questions
    from booking.forms import CHECKLISTS

    form = [
        ("pain_score", "6"),
        ("consent_treatment", "on"),
        ("policies_ack", "on"),
        ("pain_areas", "lower_back"),
        ("pain_duration", "over_3_months"),
        ("pain_onset", "posture"),
        ("worse", worse),
    ]
    return form + [(name, questions.NONE_OF_THESE) for name in CHECKLISTS]


def week_ahead(weeks: int) -> str:
    """A Monday ``weeks`` weeks from now: clear of the minimum notice and change window."""
    from django.utils import timezone

    today = timezone.localdate()
    return (today + dt.timedelta(days=7 * weeks - today.weekday())).isoformat()


def spread_slots(count: int, avoid: list[dt.datetime]):
    """``count`` free times over the coming weeks, spread out so that the time pages still
    offer free times every week, none overlapping another or a time in ``avoid`` (handed
    to visitors, maybe not booked yet)."""
    from booking import selectors

    now = dt.datetime.now(dt.UTC)
    first = dt.date.fromisoformat(week_ahead(1))
    found = selectors.slot_list_free(
        service=service(), practitioner=None, first_day=first, days=60, now=now
    )
    apart: list = []
    for slot in found:
        if all(abs(slot.start - taken) >= dt.timedelta(hours=2) for taken in avoid) and all(
            slot.practitioner_id != kept.practitioner_id
            or abs(slot.start - kept.start) >= dt.timedelta(hours=2)
            for kept in apart[-40:]
        ):
            apart.append(slot)
    return apart[:: max(1, len(apart) // count)][:count]


def book(slot, *, first: str, last: str, email: str, worse: str = "Sitting"):
    """A booking through the booking service, as the site makes it (emails on commit)."""
    from booking import services
    from booking.models import Practitioner

    return services.appointment_book(
        service=service(),
        practitioner=Practitioner.objects.get(pk=slot.practitioner_id),
        start=slot.start,
        details=services.PatientDetails(
            **details(first, last, email) | {"date_of_birth": dt.date(1980, 5, 1)}
        ),
        answers=services.IntakeAnswers(
            kind="new", pain_score=5, answers={**_no_answers(), "worse": worse}
        ),
        idempotency_key=uuid.uuid4(),
    )


def _no_answers() -> dict:
    from booking import intake

    return intake.no_answers()


def appointments_at(start: dt.datetime) -> int:
    from booking.models import Appointment

    return Appointment.objects.filter(starts_at=start).exclude(status="cancelled").count()


def appointments_by_token(paths: list[str]) -> int:
    """How many of these manage links lead to a confirmed appointment in the database."""
    from booking.manage_links import appointment_for_token

    found = [appointment_for_token(path.rstrip("/").rsplit("/", 1)[-1]) for path in paths]
    return sum(1 for a in found if a is not None and a.status == "confirmed")


def appointment_for(path: str):
    from booking.manage_links import appointment_for_token

    return appointment_for_token(path.rstrip("/").split("/")[-1])


def manage_path(appointment) -> str:
    from booking.manage_links import manage_link_create

    return f"/book/appointment/{manage_link_create(appointment=appointment)}/"


def tasks_for(appointment_id: int, task: str):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=f"booking.tasks.{task}", args_kwargs__kwargs__appointment_id=appointment_id
    )


def queue_drained(seconds: float = 120) -> bool:
    """Waits until no task that is due is waiting or running (the demo's load leaves a
    backlog of search-index and purge tasks behind it); False if not within ``seconds``."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def notices_queued(appointment_id: int, seconds: float = 30) -> bool:
    """Waits until the workers have run this appointment's ``send_notices`` (which queues
    its emails and reminder after a booking, a move or a cancellation); False if not
    within ``seconds``."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path="booking.notifications.send_notices",
        args_kwargs__kwargs__appointment_id=appointment_id,
    ).exclude(status__in=["SUCCESSFUL", "FAILED"])
    deadline = time.monotonic() + seconds
    while waiting.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def make_due(appointment_id: int, task: str) -> int:
    """The reminder's time has come: what the clock would do, without waiting a day."""
    from django.utils import timezone

    return tasks_for(appointment_id, task).filter(status="READY").update(run_after=timezone.now())


def workers_that_ran(appointment_ids: list[int]) -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    counted: dict[str, int] = {}
    rows = DBTaskResult.objects.filter(
        args_kwargs__kwargs__appointment_id__in=appointment_ids, status="SUCCESSFUL"
    ).values_list("worker_ids", flat=True)
    for worker_ids in rows:
        if worker_ids:
            counted[worker_ids[-1]] = counted.get(worker_ids[-1], 0) + 1
    return counted


def staff_with_authenticator(username: str, password: str):
    """A superuser with a confirmed authenticator, and a way to read its current code."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser(username, f"{username}@example.com", password)
    device = TOTPDevice.objects.create(user=user, name="drill", confirmed=True)

    def code() -> str:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code


def draft_title(slug: str, title: str) -> int:
    """Saves a new title as a draft (not published) and returns the page's id."""
    from blog.models import ArticlePage

    page = ArticlePage.objects.get(slug=slug).specific
    page.title = title
    page.save_revision()
    return page.pk


def bulk_publish_path(page_id: int) -> str:
    from django.urls import reverse

    return reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + (
        f"?id={page_id}"
    )
