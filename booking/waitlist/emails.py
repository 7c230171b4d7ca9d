"""The waiting list's emails: a time offered, a time that went to someone else, an entry
that ended. Date, time, practitioner and a private link only: never the service asked for
with its reasons, never an answer to the health questions, and no calendar file (that
comes with the confirmation, once the time is booked)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from practice.local_time import zone_label
from practice.models import PracticeSettings

from ..models import WaitlistEntry, WaitlistOffer
from ..tokens import entry_token, offer_token

SUBJECTS = {
    "joined": "You are on the waiting list",
    "offer": "A time has come free for you",
    "gone": "The time we offered has gone",
    "expired": "Your place on the waiting list has ended",
}


def _practice() -> PracticeSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return PracticeSettings.for_site(site) if site else PracticeSettings()


def claim_url(offer: WaitlistOffer) -> str:
    return settings.SITE_URL + reverse(
        "booking:waitlist_claim", args=[offer_token(offer.public_id)]
    )


def entry_url(entry: WaitlistEntry) -> str:
    return settings.SITE_URL + reverse(
        "booking:waitlist_entry", args=[entry_token(entry.public_id)]
    )


def _message(kind: str, entry: WaitlistEntry, context: dict) -> EmailMultiAlternatives:
    practice = _practice()
    context = {
        **context,
        "kind": kind,
        "patient": entry.patient,
        "practice": practice,
        "zone_name": zone_label(),
        "entry_url": entry_url(entry),
        "book_url": settings.SITE_URL + reverse("booking:start"),
        "my_url": settings.SITE_URL + reverse("my:home"),
    }
    message = EmailMultiAlternatives(
        subject=f"{practice.name}: {SUBJECTS[kind]}",
        body=render_to_string("booking/email/waitlist.txt", context),
        to=[entry.patient.email],
        reply_to=[practice.email] if practice.email else None,
    )
    message.attach_alternative(
        render_to_string("booking/email/waitlist.html", context), "text/html"
    )
    return message


def offer_email(offer: WaitlistOffer) -> EmailMultiAlternatives:
    """The offer: when, with whom, until when it is held (or, told to everyone, that the
    first to claim it gets it), and the claim link."""
    tz = timezone.get_default_timezone()
    return _message(
        "offer",
        offer.entry,
        {
            "offer": offer,
            "starts_local": timezone.localtime(offer.starts_at, tz),
            "expires_local": timezone.localtime(offer.expires_at, tz),
            "practitioner": offer.practitioner.name,
            "claim_url": claim_url(offer),
        },
    )


def gone_email(offer: WaitlistOffer) -> EmailMultiAlternatives:
    tz = timezone.get_default_timezone()
    return _message(
        "gone",
        offer.entry,
        {"offer": offer, "starts_local": timezone.localtime(offer.starts_at, tz)},
    )


def expiry_email(entry: WaitlistEntry) -> EmailMultiAlternatives:
    return _message("expired", entry, {})


def joined_email(entry: WaitlistEntry) -> EmailMultiAlternatives:
    """What the patient asked for, until when it waits, and the link to their place on the
    list (to see it, or leave it)."""
    return _message(
        "joined",
        entry,
        {
            "entry": entry,
            "expires_local": timezone.localtime(entry.expires_at, timezone.get_default_timezone()),
        },
    )
