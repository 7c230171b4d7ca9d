"""Backup and restore, as deploy/README.md gives them: pg_dump and the media folder, the
keys kept apart; restored into a fresh database and a fresh media folder, served by an app
server and a worker of their own."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tarfile
import time
from pathlib import Path

import inside
from checks import Drill, line_with
from stack import free_port

# Run inside the restored site (manage.py shell): what the restore must prove.
READ_BACK = """
import json
from booking.encryption import UndecryptableValue
from booking.models import Practitioner
from booking.manage_links import appointment_for_token
from wagtail.images.models import Image
# With another key, the answers (and whatever else is sealed with them) cannot be read:
# wherever that shows first, the answer is "UNDECRYPTABLE".
try:
    appointment = appointment_for_token({token!r})
    worse = appointment.intake.answers.get("worse")
    feed = Practitioner.objects.filter(pk=appointment.practitioner_id).values_list(
        "calendar_token", flat=True).get()
except UndecryptableValue:
    worse, feed = "UNDECRYPTABLE", None
images = [image.file.path for image in Image.objects.all()]
print(json.dumps({{"worse": worse, "feed": feed, "images": images}}))
"""

MAKE_DUE = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(
    task_path="booking.tasks.send_reminder", status="READY",
    args_kwargs__kwargs__appointment_id={pk},
).update(run_after=timezone.now()))
"""


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def backup_and_restore(drill: Drill) -> None:
    stack, inbox = drill.stack, drill.stack.inbox
    path = drill.kept.get("midway")
    if path is None:
        slot = inside.spread_slots(1, avoid=drill.used)[0]
        path = inside.manage_path(
            inside.book(
                slot,
                first="Midway",
                last="Booker",
                email="midway.booker@example.com",
                worse="Midway marker",
            )
        )
    appointment = inside.appointment_for(path)
    backup = stack.folder / "backup"
    backup.mkdir()
    # The backup, as deploy/README.md gives it.
    stack.pg("pg_dump", "--format=custom", "--file", str(backup / "practice.dump"), stack.database)
    with tarfile.open(backup / "media.tar.gz", "w:gz") as archive:
        archive.add(stack.media, arcname="media")
    dump = (backup / "practice.dump").read_bytes()
    key_in_backup = stack.key.encode() in dump or b"Midway marker" in dump

    # The restore: a fresh database, a fresh media folder, the keys from where they are kept.
    stack.createdb("practice_restored")
    stack.pg(
        "pg_restore", "--no-owner", "--dbname", "practice_restored", str(backup / "practice.dump")
    )
    restored_media = stack.folder / "restored"
    restored_media.mkdir()
    with tarfile.open(backup / "media.tar.gz") as archive:
        archive.extractall(restored_media, filter="data")
    media_same = _digest(Path(stack.media)) == _digest(restored_media / "media")
    env = {
        **stack.env,
        "DATABASE_URL": stack.database_url("practice_restored"),
        "DRILL_MEDIA_ROOT": str(restored_media / "media"),
    }
    token = path.rstrip("/").rsplit("/", 1)[-1]
    read = stack.manage(
        "shell", "--no-imports", "-c", READ_BACK.format(token=token), env=env, check=False
    )
    found = json.loads(read.stdout.strip().splitlines()[-1]) if read.returncode == 0 else {}
    other_key = {**env, "INTAKE_ENCRYPTION_KEYS": _new_key()}
    wrong = stack.manage(
        "shell", "--no-imports", "-c", READ_BACK.format(token=token), env=other_key, check=False
    )
    wrong_found = json.loads(wrong.stdout.strip().splitlines()[-1]) if wrong.returncode == 0 else {}
    # The release's check (as `migrate` runs it) reads one stored answer with the key.
    kept_check = stack.manage("check", "--database", "default", env=env, check=False)
    other_check = stack.manage("check", "--database", "default", env=other_key, check=False)
    images_there = bool(found.get("images")) and all(Path(p).is_file() for p in found["images"])
    drill.report.check(
        "backup: pg_dump and media/, the encryption key not in them",
        not key_in_backup,
        f"dump {len(dump):,} bytes, media archive {(backup / 'media.tar.gz').stat().st_size:,} "
        f"bytes; the key or an answer in plain text in the dump: {key_in_backup}",
    )
    drill.report.check(
        "restore: an intake answer decrypts with the kept key (and not with another)",
        found.get("worse") == "Midway marker" and wrong_found.get("worse") == "UNDECRYPTABLE",
        f"read back after restore: {found.get('worse')!r}; with a different key: "
        f"{wrong_found.get('worse')!r}; media identical: {media_same}; "
        f"{len(found.get('images', []))} images present: {images_there}",
    )

    drill.report.check(
        "restore: the release check refuses a well-formed key that is not the answers' own",
        kept_check.returncode == 0
        and other_check.returncode != 0
        and "booking.E001" in other_check.stderr
        and "Traceback" not in other_check.stderr
        and other_key["INTAKE_ENCRYPTION_KEYS"] not in other_check.stderr,
        f"kept key: exit {kept_check.returncode}; another key: exit {other_check.returncode}, "
        f"{line_with(other_check.stderr, 'booking.E001')!r}",
    )

    port = free_port()
    stack.start_app("app (restored)", port, env=env)
    site = drill.direct(port)
    home = site.get("/")
    manage = site.get(path)
    ics = site.get(f"{path}calendar.ics")
    feed = site.get(f"/calendar/{found.get('feed')}.ics")
    drill.report.check(
        "restore: the site serves, the manage link and the calendar feeds work",
        home.status == 200
        and manage.status == 200
        and b"calendar.ics" in manage.body
        and b"BEGIN:VEVENT" in ics.body
        and b"BEGIN:VCALENDAR" in feed.body
        and media_same
        and images_there,
        f"home {home.status}; manage link {manage.status}; appointment's calendar file "
        f"{ics.status}; practitioner's feed {feed.status} "
        f"({feed.body.count(b'BEGIN:VEVENT')} events)",
    )

    # Only the restored site's worker runs the reminder; the original's copy waits for its day.
    due = stack.manage(
        "shell", "--no-imports", "-c", MAKE_DUE.format(pk=appointment.pk), env=env
    ).stdout.strip()
    address = appointment.patient.email
    before = inbox.count(address, "Reminder")
    stack.start_worker(9, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and inbox.count(address, "Reminder") == before:
        time.sleep(0.5)
    time.sleep(3)
    sent = inbox.count(address, "Reminder") - before
    drill.report.check(
        "restore: the scheduled reminder still goes out, once",
        due == "1" and sent == 1,
        f"{due} reminder waiting in the restored queue, made due; sent {sent}",
    )
    stack.stop("worker 9")
    stack.stop("app (restored)")
    shutil.rmtree(restored_media, ignore_errors=True)


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
