"""A six-digit code emailed to the address a visitor typed, so that a returning patient can
prove they read that email before the booking treats them as someone it knows.

The code is sent whatever the address: nothing is looked up until the right code comes
back, so the page, the email and the time taken are the same for a patient's address and
for any other (``send_email_code`` in tasks.py does no lookup either). The session holds the
code only as a keyed hash, with its address (hashed too), its expiry and the tries left.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from .. import encryption
from ..ratelimit import email_name

SESSION_KEY = "email_code"
VALID_FOR = dt.timedelta(minutes=10)
TRIES = 5


class Check(StrEnum):
    PROVEN = "proven"
    WRONG = "wrong"  # tries remain
    SPENT = "spent"  # no code, expired, or out of tries: a new one is needed


def _hash(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"email-code:{code}".encode(), hashlib.sha256
    ).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_issue(request, *, email: str, now: dt.datetime | None = None) -> None:
    """Makes a code for ``email``, keeps its hash in the session and queues the email."""
    from .tasks import send_email_code

    now = now or timezone.now()
    code = new_code()
    request.session[SESSION_KEY] = {
        "email": email_name(email),
        "code": _hash(code),
        "expires": (now + VALID_FOR).isoformat(),
        "tries": TRIES,
    }
    # The address and the code travel sealed: the task queue is a database table.
    send_email_code.enqueue(sealed=encryption.encrypt_json({"to": email.strip(), "code": code}))


def code_pending_for(request, *, email: str) -> bool:
    held = request.session.get(SESSION_KEY)
    return isinstance(held, dict) and hmac.compare_digest(
        str(held.get("email", "")), email_name(email)
    )


def tries_left(request) -> int:
    held = request.session.get(SESSION_KEY)
    return int(held.get("tries", 0)) if isinstance(held, dict) else 0


def _used_up(held: dict, now: dt.datetime) -> bool:
    """Whether the code held is out of tries or expired."""
    return held.get("tries", 0) <= 0 or dt.datetime.fromisoformat(held["expires"]) <= now


def _matches(code: str, held: dict) -> bool:
    """Whether the six digits typed, anything else between them left out, are the code."""
    typed = "".join(c for c in code if c.isascii() and c.isdigit())
    return len(typed) == 6 and hmac.compare_digest(_hash(typed), held["code"])


def code_check(request, *, email: str, code: str, now: dt.datetime | None = None) -> Check:
    """Whether ``code`` proves ``email``; each wrong code uses up one of the tries."""
    now = now or timezone.now()
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict) or not code_pending_for(request, email=email):
        return Check.SPENT
    if _used_up(held, now):
        request.session.pop(SESSION_KEY, None)
        return Check.SPENT
    if _matches(code, held):
        request.session.pop(SESSION_KEY, None)
        return Check.PROVEN
    held["tries"] -= 1
    request.session[SESSION_KEY] = held
    if held["tries"] <= 0:
        request.session.pop(SESSION_KEY, None)
        return Check.SPENT
    return Check.WRONG
