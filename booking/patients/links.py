"""Sign-in links for "My appointments": made by the task that emails them, opened once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ..models import Patient, SignInLink

VALID_FOR = dt.timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_link_create(*, patient: Patient, now: dt.datetime | None = None) -> str:
    """A new link's token (for the email only: the table keeps its hash)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        patient=patient, token_hash=_hash(token), created_at=now, expires_at=now + VALID_FOR
    )
    return token


def sign_in_link_peek(token: str, *, now: dt.datetime | None = None) -> bool:
    """Whether ``token`` would still sign someone in (for the page before the button)."""
    now = now or timezone.now()
    return SignInLink.objects.filter(
        token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now
    ).exists()


def sign_in_link_use(token: str, *, now: dt.datetime | None = None) -> Patient | None:
    """The patient the link signs in, once: one conditional UPDATE spends it, so two
    clicks at once cannot both sign in. None for a link spent, expired or made up."""
    now = now or timezone.now()
    with transaction.atomic():
        spent = SignInLink.objects.filter(
            token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not spent:
            return None
        return SignInLink.objects.select_related("patient").get(token_hash=_hash(token)).patient


def sign_in_links_purge(*, now: dt.datetime | None = None) -> int:
    """Deletes links past their time (kept a day, for the record of a late click)."""
    now = now or timezone.now()
    deleted, _ = SignInLink.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted
