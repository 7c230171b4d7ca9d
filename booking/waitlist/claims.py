"""Claiming and declining a time offered from the waiting list.

A held time is claimed in one conditional UPDATE of its row (status "held" and the hold
not run out, to "confirmed"): of two claims at the same instant, or a claim and the
sweep, exactly one changes it; the other finds nothing and the patient is told plainly.
In the broadcast mode nothing is held and the claim is an ordinary booking, which the
no-overlap constraint gives to the first.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import intake, notifications, selectors
from .. import services as booking_services
from ..contracts import BookingError, IntakeAnswers, PatientDetails, SlotTaken
from ..models import (
    Appointment,
    AppointmentStatus,
    Intake,
    OfferOutcome,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from . import email_tasks, match, services
from . import selectors as waitlist_selectors
from .services import FORGET_ANSWERS


class OfferGone(BookingError):
    """A claim that came too late: the hold ran out, was declined or went to someone else."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or "Sorry, this time is no longer held for you. You are still on the waiting list."
        )


def offer_claim(*, offer: WaitlistOffer, now: dt.datetime | None = None) -> Appointment:
    """The patient takes the time offered: the hold becomes their appointment, in one
    conditional update, with the booking's checks. A claim after the hold ran out, was
    declined or released raises ``OfferGone``, and nothing changes. If the entry asked, its
    later appointment is cancelled in the same transaction, freeing that time in turn."""
    now = now or timezone.now()
    if offer.broadcast:
        return _claim_told(offer, now)
    entry = offer.entry
    flags = _flags_allowed(entry, now)
    with transaction.atomic():
        hold = Appointment.with_holds.filter(pk=offer.hold_id).first()
        time = match.FreeTime(entry.service_id, offer.practitioner_id, offer.starts_at)
        if hold and not services.still_free(
            time, entry.service, now, selectors.booking_policy_get(), hold=hold
        ):
            # Time off, a closure or the practitioner's own calendar took it meanwhile.
            raise OfferGone("Sorry, this time is no longer available. You stay on the list.")
        claimed = Appointment.with_holds.filter(
            pk=offer.hold_id, status=AppointmentStatus.HELD, hold_expires_at__gt=now
        ).update(
            status=AppointmentStatus.CONFIRMED,
            hold_expires_at=None,
            flags=flags,
            screened=True,
            sequence=F("sequence") + 1,
            updated_at=now,
        )
        if not claimed:
            raise OfferGone()
        appointment = Appointment.objects.select_related("patient").get(pk=offer.hold_id)
        _booked(entry, offer, appointment, now)
    return appointment


def _flags_allowed(entry: WaitlistEntry, now: dt.datetime) -> list[str]:
    """The entry's answers checked again, as a booking checks them (the patient is older,
    the service's rules may have changed); ``BookingError`` when they rule it out now."""
    age = intake.age_on(entry.patient.date_of_birth, timezone.localdate(now))
    if refusal := intake.refusal_for(entry.service, entry.answers, age=age):
        raise BookingError(str(refusal))
    return intake.screening_flags(entry.answers, age)


def _booked(entry, offer, appointment, now) -> None:
    """What follows a claim, inside its transaction: the intake, the offer and the entry
    closed, the patient's later appointment cancelled if they asked, the emails on commit."""
    Intake.objects.create(
        appointment=appointment,
        kind=entry.intake_kind or "new",
        pain_score=entry.pain_score if entry.pain_score is not None else 0,
        answers=entry.answers,
        consented_at=now,
        privacy_acknowledged_at=now,
        cancellation_policy_acknowledged_at=now,
    )
    WaitlistOffer.objects.filter(pk=offer.pk).update(outcome=OfferOutcome.CLAIMED)
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistStatus.BOOKED, closed_at=now, **FORGET_ANSWERS
    )
    _move_sooner(entry, appointment, now)
    transaction.on_commit(lambda: notifications.appointment_booked(appointment))


def _move_sooner(entry: WaitlistEntry, appointment: Appointment, now: dt.datetime) -> None:
    """The later booking the entry asked to move is cancelled, in the claim's transaction;
    its time then goes to the next entry in turn (``appointment_cancel`` frees it)."""
    moving = entry.move_appointment_id and (
        Appointment.objects.filter(
            pk=entry.move_appointment_id,
            status=AppointmentStatus.CONFIRMED,
            starts_at__gt=appointment.starts_at,
        ).first()
    )
    if moving:
        booking_services.appointment_cancel(
            appointment=moving,
            now=now,
            by_staff=True,
            reason="Moved to a sooner time from the waiting list.",
        )


def _claim_told(offer: WaitlistOffer, now: dt.datetime) -> Appointment:
    """A claim in the broadcast mode: an ordinary booking of the time, which the constraint
    (or SQLite's write lock) gives to exactly one; the others are told it went."""
    entry = offer.entry
    patient = entry.patient
    if offer.outcome != OfferOutcome.PENDING or offer.expires_at <= now:
        raise OfferGone()
    _flags_allowed(entry, now)
    try:
        with transaction.atomic():
            appointment = booking_services.appointment_book(
                service=entry.service,
                practitioner=offer.practitioner,
                start=offer.starts_at,
                details=PatientDetails(
                    first_name=patient.first_name,
                    last_name=patient.last_name,
                    email=patient.email,
                    phone=patient.phone,
                    date_of_birth=patient.date_of_birth,
                ),
                answers=IntakeAnswers(
                    kind=entry.intake_kind or "new",
                    pain_score=entry.pain_score if entry.pain_score is not None else 0,
                    answers=entry.answers,
                ),
                source_page_id=entry.source_page_id,
                now=now,
            )
            WaitlistOffer.objects.filter(pk=offer.pk).update(outcome=OfferOutcome.CLAIMED)
            WaitlistEntry.objects.filter(pk=entry.pk).update(
                status=WaitlistStatus.BOOKED, closed_at=now, **FORGET_ANSWERS
            )
            _move_sooner(entry, appointment, now)
            others = waitlist_selectors.offer_list_pending_for(
                practitioner_id=offer.practitioner_id, starts_at=offer.starts_at
            )
            WaitlistOffer.objects.filter(pk__in=others).update(outcome=OfferOutcome.GONE)
            for pk in others:
                transaction.on_commit(
                    lambda pk=pk: email_tasks.send_gone_email.enqueue(offer_id=pk)
                )
    except SlotTaken:
        WaitlistOffer.objects.filter(pk=offer.pk, outcome=OfferOutcome.PENDING).update(
            outcome=OfferOutcome.GONE
        )
        raise OfferGone(
            "Sorry, someone else claimed this time first. You stay on the list."
        ) from None
    return appointment


def offer_decline(*, offer: WaitlistOffer, now: dt.datetime | None = None) -> bool:
    """The patient does not want the time: the hold is released and the time goes to the
    next entry at once. The patient stays on the list. False when there was nothing left
    to decline."""
    now = now or timezone.now()
    with transaction.atomic():
        declined = WaitlistOffer.objects.filter(pk=offer.pk, outcome=OfferOutcome.PENDING).update(
            outcome=OfferOutcome.DECLINED
        )
        if not declined:
            return False
        services.offer_release(offer, now)
    return True
