"""Writes for the waiting list. Each runs in one transaction, or not at all.

A freed time is held for one entry by an appointment row with status "held": on
PostgreSQL the exclusion constraint refuses it if anything else holds the time (and
refuses any other booking while it stands); on SQLite the check and the insert run under
the write lock, as a booking's do. Claiming is one conditional UPDATE of that row, so of
two claims, or a claim and the sweep, exactly one changes it. A released hold is told to
whoever listens as a freed time (``booking.signals``), as a cancellation is: the waiting
list's own hook then offers it on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import intake, newcomers, selectors, signals, slots
from ..contracts import BookingError, IntakeAnswers, PatientDetails
from ..models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    OfferOutcome,
    Practitioner,
    Service,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from ..patients.records import patient_get_or_create
from . import email_tasks, match
from . import selectors as waitlist_selectors

# An entry that ends unbooked keeps no health answers; a booked one gave them to its intake.
FORGET_ANSWERS = {"answers": {}, "pain_score": None}


def _refuse_if_ruled_out(
    service: Service,
    practitioner: Practitioner | None,
    answers: IntakeAnswers,
    *,
    today: dt.date,
    details: PatientDetails,
) -> None:
    """``BookingError`` for answers that rule the service out, or for a new patient who
    asks for what only returning patients may book."""
    age = intake.age_on(details.date_of_birth, today)
    if refusal := intake.refusal_for(service, answers.answers, age=age):
        raise BookingError(str(refusal))
    if answers.kind != "returning" and (refused := newcomers.refusal(service, practitioner)):
        raise BookingError(refused)


def waitlist_join(
    *,
    service: Service,
    practitioner: Practitioner | None,
    earliest: dt.date,
    latest: dt.date,
    weekdays: list[int],
    parts_of_day: list[str],
    details: PatientDetails,
    answers: IntakeAnswers,
    move_appointment: Appointment | None = None,
    source_page_id: int | None = None,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Puts the patient on the waiting list, with the same checks as a booking: an email
    address, and answers that allow the service (``BookingError`` otherwise). An entry the
    patient already has stays as it is: whoever types an email address does not get to
    change or end that person's entries (a patient is offered one time at a time)."""
    now = now or timezone.now()
    if not details.email.strip():
        raise BookingError("An email address is needed to join the waiting list.")
    today = timezone.localdate(now)
    if latest < earliest or latest < today:
        raise BookingError("The latest date must be on or after the earliest, and not past.")
    _refuse_if_ruled_out(service, practitioner, answers, today=today, details=details)
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        patient = patient_get_or_create(details)
        moving = move_appointment
        if moving and (moving.patient_id != patient.pk or moving.service_id != service.pk):
            moving = None  # only one's own booking of this service is moved
        entry = WaitlistEntry.objects.create(
            patient=patient,
            service=service,
            practitioner=practitioner,
            earliest_date=max(earliest, today),
            latest_date=latest,
            weekdays=sorted(set(weekdays)),
            parts_of_day=sorted(set(parts_of_day)),
            move_appointment=moving,
            intake_kind=answers.kind,
            pain_score=answers.pain_score,
            answers=answers.answers,
            source_page_id=source_page_id,
            created_at=now,
            expires_at=match.entry_expires_at(
                created_at=now, latest=latest, max_weeks=settings.WAITLIST_MAX_WEEKS, tz=tz
            ),
        )
        transaction.on_commit(lambda: email_tasks.send_joined_email.enqueue(entry_id=entry.pk))
    return entry


def still_free(
    time: match.FreeTime,
    service: Service,
    now: dt.datetime,
    policy,
    *,
    hold: Appointment | None = None,
) -> bool:
    """Whether the time may be booked online, checked inside the transaction against the
    committed rows (holds included, ``hold`` itself aside): hours, time off, the
    practitioner's own calendar, the notice and the horizon, as for a booking."""
    duration = dt.timedelta(minutes=service.duration_minutes)
    [schedule] = selectors.schedule_list_for(
        practitioners=[Practitioner.objects.get(pk=time.practitioner_id)],
        start=time.start - dt.timedelta(days=1),
        end=time.start + duration + dt.timedelta(days=1),
        exclude_appointment=hold,
    )
    return slots.is_free(
        schedule=schedule,
        start=time.start,
        duration=duration,
        policy=selectors.slot_policy_build(policy),
        now=now,
        tz=timezone.get_default_timezone(),
    )


def time_freed(
    *, practitioner_id: int, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> list[WaitlistOffer]:
    """Offers the times now free with this practitioner between ``start`` and ``end`` to the
    waiting list, each to the first entry it suits. Run by the task worker after the grace
    period: a time booked again meanwhile (a staff correction) is no longer free, and nothing
    is sent."""
    now = now or timezone.now()
    practitioner = Practitioner.objects.filter(pk=practitioner_id, is_active=True).first()
    if practitioner is None:
        return []
    made: list[WaitlistOffer] = []
    tried: set[match.FreeTime] = set()
    # Each offer holds its time, which changes what else is free: look again after each.
    for _ in range(50):
        times = waitlist_selectors.free_time_list(
            practitioner=practitioner, start=start, end=end, now=now
        )
        offer = None
        for time in times:
            if time in tried:
                continue
            tried.add(time)
            if offer := offer_next(time=time, now=now):
                made.append(offer)
                break
        if offer is None:
            return made
    return made


def offer_next(*, time: match.FreeTime, now: dt.datetime | None = None) -> WaitlistOffer | None:
    """Offers ``time`` to the first waiting entry it suits, holding it for them; in the
    broadcast mode close to the time, tells every entry it suits instead. None when nobody
    takes it, or the time was taken meanwhile (the constraint's refusal)."""
    now = now or timezone.now()
    policy = selectors.booking_policy_get()
    tz = timezone.get_default_timezone()
    entries = waitlist_selectors.entry_list_waiting(
        practitioner_id=time.practitioner_id, starts_at=time.start, now=now
    )
    by_id = {e.pk: e for e in entries}
    takers = _takers_in_offer_order(entries, time, tz)
    if not takers:
        return None
    notice = policy.notice
    if match.tells_everyone(
        start=time.start,
        now=now,
        within=dt.timedelta(hours=settings.WAITLIST_BROADCAST_HOURS),
        notice=notice,
        switched_on=policy.waitlist_broadcast,
    ):
        return _tell_everyone(time, [by_id[w.entry_id] for w in takers], now, notice)
    until = match.hold_until(
        start=time.start,
        now=now,
        hold=dt.timedelta(hours=settings.WAITLIST_HOLD_HOURS),
        short_hold=dt.timedelta(minutes=settings.WAITLIST_SHORT_HOLD_MINUTES),
        notice=notice,
    )
    if until is None:
        return None
    return _hold_for_first([by_id[w.entry_id] for w in takers], time, until, now, policy)


def _takers_in_offer_order(
    entries: list[WaitlistEntry], time: match.FreeTime, tz: dt.tzinfo
) -> list[match.Wish]:
    """The waiting entries' wishes that ``time`` suits, in the order they are offered it."""
    return [
        w
        for w in match.in_offer_order(waitlist_selectors.wish_from(e) for e in entries)
        if match.accepts(w, time, tz)
    ]


def _hold_for_first(
    entries: list[WaitlistEntry],
    time: match.FreeTime,
    until: dt.datetime,
    now: dt.datetime,
    policy: BookingPolicy,
) -> WaitlistOffer | None:
    """Holds ``time`` for the first of ``entries`` that can still take it; None when the
    time is no longer free."""
    for entry in entries:
        try:
            offer = _hold_for(entry, time, until, now, policy)
        except IntegrityError:
            continue  # this time, or this entry, was taken by another worker meanwhile
        if offer is not None:
            return offer
        return None  # no longer free
    return None


def offer_to(
    *, entry: WaitlistEntry, time: match.FreeTime, now: dt.datetime | None = None
) -> WaitlistOffer | None:
    """Staff offer one free time to this entry, out of turn: held for it as any offer is.
    None when the entry no longer waits, the time is not free, or too close to hold."""
    now = now or timezone.now()
    policy = selectors.booking_policy_get()
    until = match.hold_until(
        start=time.start,
        now=now,
        hold=dt.timedelta(hours=settings.WAITLIST_HOLD_HOURS),
        short_hold=dt.timedelta(minutes=settings.WAITLIST_SHORT_HOLD_MINUTES),
        notice=policy.notice,
    )
    if until is None or time.service_id != entry.service_id:
        return None
    try:
        return _hold_for(entry, time, until, now, policy)
    except IntegrityError:
        return None


def _hold_for(entry: WaitlistEntry, time: match.FreeTime, until, now, policy):
    """The hold and its offer, in one transaction; None when the time is no longer free."""
    service = entry.service
    duration = dt.timedelta(minutes=service.duration_minutes)
    with transaction.atomic():
        changed = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.OFFERED
        )
        if not changed:
            raise IntegrityError("entry no longer waiting")
        if not still_free(time, service, now, policy):
            transaction.set_rollback(True)
            return None
        hold = Appointment.with_holds.create(
            status=AppointmentStatus.HELD,
            patient_id=entry.patient_id,
            practitioner_id=time.practitioner_id,
            service=service,
            starts_at=time.start,
            ends_at=time.start + duration,
            blocked_until=time.start + duration + policy.buffer,
            hold_expires_at=until,
            hold_for=entry,
            screened=False,
            is_first_visit=entry.intake_kind != "returning",
        )
        offer = WaitlistOffer.objects.create(
            entry=entry,
            practitioner_id=time.practitioner_id,
            starts_at=time.start,
            hold=hold,
            expires_at=until,
            created_at=now,
        )
        transaction.on_commit(lambda: email_tasks.send_offer_email.enqueue(offer_id=offer.pk))
    return offer


def _tell_everyone(time, entries, now, notice) -> WaitlistOffer | None:
    """The broadcast mode: an offer to each entry the time suits, nothing held; the first
    claim books it (``claims.offer_claim``). Returns the first offer made."""
    made = []
    for entry in entries:
        try:
            with transaction.atomic():
                made.append(
                    WaitlistOffer.objects.create(
                        entry=entry,
                        practitioner_id=time.practitioner_id,
                        starts_at=time.start,
                        broadcast=True,
                        expires_at=time.start - notice,
                        created_at=now,
                    )
                )
        except IntegrityError:
            continue  # already told of it, or waiting on another offer
    for offer in made:
        transaction.on_commit(lambda pk=offer.pk: email_tasks.send_offer_email.enqueue(offer_id=pk))
    return made[0] if made else None


def offer_release(offer: WaitlistOffer, now: dt.datetime) -> None:
    """Inside a transaction (a decline, the sweep, a withdrawal): the offer's hold stops
    holding time, the entry waits again, and the time is offered on once this commits."""
    WaitlistEntry.objects.filter(pk=offer.entry_id, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.WAITING
    )
    if offer.hold_id:
        hold_release(hold_id=offer.hold_id, now=now)
    if not offer.broadcast:
        signals.time_freed_on_commit(
            practitioner_id=offer.practitioner_id,
            start=offer.starts_at,
            end=offer.starts_at + dt.timedelta(minutes=1),
            grace=False,
        )


def hold_release(*, hold_id: int, now: dt.datetime, expired_only: bool = False) -> bool:
    """Ends a hold: one conditional UPDATE takes it out of "held" (so a claim at the same
    moment either came first or finds nothing), then the row goes. A released hold was
    never an appointment, so no list or report should count it as a cancelled one."""
    held = Appointment.with_holds.filter(pk=hold_id, status=AppointmentStatus.HELD)
    if expired_only:
        held = held.filter(hold_expires_at__lte=now)
    if not held.update(status=AppointmentStatus.CANCELLED, cancelled_at=now, updated_at=now):
        return False
    Appointment.with_holds.filter(pk=hold_id, status=AppointmentStatus.CANCELLED).delete()
    return True


def holds_release_expired(*, now: dt.datetime | None = None) -> int:
    """The sweep: every hold whose time ran out is released and its time offered to the next
    entry; broadcast offers past their time close, and entries past their end expire (their
    patient told once). Returns how many holds were released. Safe to run twice at once:
    each release is a conditional update that only one run makes."""
    now = now or timezone.now()
    released = 0
    for hold_id in waitlist_selectors.holds_expired(now=now):
        with transaction.atomic():
            offer = WaitlistOffer.objects.filter(hold_id=hold_id).first()
            if not hold_release(hold_id=hold_id, now=now, expired_only=True):
                continue
            released += 1
            if offer is not None:
                WaitlistOffer.objects.filter(pk=offer.pk, outcome=OfferOutcome.PENDING).update(
                    outcome=OfferOutcome.EXPIRED
                )
                offer_release(offer, now)
    WaitlistOffer.objects.filter(
        broadcast=True, outcome=OfferOutcome.PENDING, expires_at__lte=now
    ).update(outcome=OfferOutcome.EXPIRED)
    ending = list(
        WaitlistEntry.objects.filter(
            status=WaitlistStatus.WAITING, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in ending:
        if WaitlistEntry.objects.filter(pk=pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.EXPIRED, closed_at=now, **FORGET_ANSWERS
        ):
            transaction.on_commit(lambda pk=pk: email_tasks.send_expiry_email.enqueue(entry_id=pk))
    return released


def entry_withdraw(*, entry: WaitlistEntry, now: dt.datetime | None = None) -> bool:
    """The patient leaves the list; a time held for them is released to the next."""
    now = now or timezone.now()
    with transaction.atomic():
        left = WaitlistEntry.objects.filter(
            pk=entry.pk, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).update(status=WaitlistStatus.WITHDRAWN, closed_at=now, **FORGET_ANSWERS)
        for offer in WaitlistOffer.objects.filter(entry=entry, outcome=OfferOutcome.PENDING):
            WaitlistOffer.objects.filter(pk=offer.pk).update(outcome=OfferOutcome.DECLINED)
            offer_release(offer, now)
    return bool(left)


def entry_mark_urgent(*, entry: WaitlistEntry, urgent: bool = True) -> WaitlistEntry:
    """Staff put an entry before everyone else (or back in line)."""
    entry.urgent = urgent
    entry.save(update_fields=["urgent"])
    return entry
