"""The waiting list's emails, sent by the task worker.

Each email is sent once: its row's ``sent_at`` is claimed by one conditional UPDATE before
sending, so two workers (or a task run again after a restart) cannot both send it, and a
failed send gives the claim back and tries again later, as the reminders do.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from .. import tasks as booking_tasks
from ..models import OfferOutcome, WaitlistEntry, WaitlistOffer
from . import emails

logger = logging.getLogger(__name__)


def _send_once(model, pk: int, field: str, build, task_function, attempt: int) -> str:
    """Claims ``field`` on the row, sends ``build(row)``, gives the claim back on failure."""
    now = timezone.now()
    if not model.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
        return "sent already"
    row = model.objects.get(pk=pk)
    try:
        build(row).send()
    except booking_tasks.MAIL_ERRORS as error:
        model.objects.filter(pk=pk, **{field: now}).update(**{field: None})
        logger.warning(
            "Waiting-list email for %s %s failed (attempt %s)", model.__name__, pk, attempt
        )
        booking_tasks.again_later(task_function, attempt, error, **_key(model, pk))
        return "retrying"
    return "sent"


def _key(model, pk: int) -> dict:
    return {"entry_id": pk} if model is WaitlistEntry else {"offer_id": pk}


@task
def send_offer_email(*, offer_id: int, attempt: int = 1):
    """The offer, once, while it still stands."""
    if not WaitlistOffer.objects.filter(
        pk=offer_id, outcome=OfferOutcome.PENDING, expires_at__gt=timezone.now()
    ).exists():
        return "not open"
    return _send_once(
        WaitlistOffer, offer_id, "sent_at", emails.offer_email, send_offer_email, attempt
    )


@task
def send_gone_email(*, offer_id: int, attempt: int = 1):
    """ "It went, you stay on the list", once, to each patient told of a time another took."""
    return _send_once(
        WaitlistOffer, offer_id, "gone_sent_at", emails.gone_email, send_gone_email, attempt
    )


@task
def send_expiry_email(*, entry_id: int, attempt: int = 1):
    """The entry has ended by itself: told once."""
    return _send_once(
        WaitlistEntry, entry_id, "expiry_sent_at", emails.expiry_email, send_expiry_email, attempt
    )


@task
def send_joined_email(*, entry_id: int, attempt: int = 1):
    """The patient's note that they are on the list, with the link to their place."""
    entry = WaitlistEntry.objects.select_related("patient", "service", "practitioner__profile")
    entry = entry.filter(pk=entry_id).first()
    if entry is None or not entry.patient.has_email:
        return "no address"
    try:
        emails.joined_email(entry).send()
    except booking_tasks.MAIL_ERRORS as error:
        logger.warning("Waiting-list email for entry %s failed (attempt %s)", entry_id, attempt)
        booking_tasks.again_later(send_joined_email, attempt, error, entry_id=entry_id)
        return "retrying"
    return "sent"
