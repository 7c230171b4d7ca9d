"""Writes for the booking domain. Each runs in one transaction, or not at all.

No double booking: inside the transaction the chosen time is checked again against the
committed appointments. On SQLite the transaction begins with ``BEGIN IMMEDIATE`` (the
DATABASES options), so it holds the write lock and no other booking slips in between the
check and the insert. On PostgreSQL the exclusion constraint ``appointment_no_overlap``
refuses the second of two overlapping bookings, as ``SlotTaken`` too.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from . import intake, newcomers, notifications, selectors, signals, slots
from .caps import online_cap_check
from .contracts import (
    BookingError,
    BusyInOwnCalendar,
    IntakeAnswers,
    PatientDetails,
    RuleOverride,
    SlotTaken,
    TooLateToChange,
)
from .models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    Course,
    Intake,
    Patient,
    Practitioner,
    Service,
)
from .models.schedule import new_calendar_token
from .patients.records import patient_get_or_create
from .screening import flags_carried_over, override_record

# PostgreSQL's SQLSTATE for a deadlock it broke by aborting one of the transactions.
DEADLOCK_DETECTED = "40P01"


def _lost_the_time(error: Exception) -> bool:
    """Whether a failed booking or move lost its time to another: the exclusion constraint
    refused it, or two overlapping writes each waited on the other's row to check it and
    PostgreSQL aborted this one (the other goes on and holds the time)."""
    if isinstance(error, SlotTaken | IntegrityError):
        return True
    return getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED


def _practitioner_free_at(
    *,
    practitioner: Practitioner,
    service: Service,
    start: dt.datetime,
    now: dt.datetime,
    ignore_notice: bool,
    policy: BookingPolicy,
    moving: Appointment | None = None,
    calendar_busy: bool = True,
) -> bool:
    duration = dt.timedelta(minutes=service.duration_minutes)
    [schedule] = selectors.schedule_list_for(
        practitioners=[practitioner],
        start=start - dt.timedelta(days=1),
        end=start + duration + dt.timedelta(days=1),
        exclude_appointment=moving,
        calendar_busy=calendar_busy,
    )
    return slots.is_free(
        schedule=schedule,
        start=start,
        duration=duration,
        policy=selectors.slot_policy_build(policy, ignore_notice=ignore_notice),
        now=now,
        tz=timezone.get_default_timezone(),
    )


def _candidates(
    service: Service, practitioner: Practitioner | None, preferred_id, *, new_patient: bool
) -> list[Practitioner]:
    """Who may take the booking, ``preferred_id`` first: the one named, or all who give the
    service (for a new patient, those who see new patients)."""
    if practitioner:
        return [practitioner]
    candidates = selectors.practitioner_list_for_service(service=service)
    if new_patient:
        candidates = [c for c in candidates if c.takes_new_patients]
    # Stable: the others keep their order.
    return sorted(candidates, key=lambda candidate: candidate.pk != preferred_id)


def _choose_practitioner(
    *,
    service: Service,
    practitioner: Practitioner | None,
    start: dt.datetime,
    now: dt.datetime,
    by_staff: bool,
    over_busy: bool,
    policy: BookingPolicy,
    moving: Appointment | None = None,
    preferred_id: int | None = None,
    new_patient: bool = False,
) -> Practitioner | None:
    """The first candidate free at ``start``, asking ``preferred_id`` first (for a
    ``new_patient``, only those who see new patients). For staff, failing that, the first
    one free but for their own calendar's busy times: theirs if ``over_busy``, else
    ``BusyInOwnCalendar``."""
    candidates = _candidates(service, practitioner, preferred_id, new_patient=new_patient)
    for calendar_busy in (True, False) if by_staff else (True,):
        for candidate in candidates:
            if _practitioner_free_at(
                practitioner=candidate,
                service=service,
                start=start,
                now=now,
                ignore_notice=by_staff,
                policy=policy,
                moving=moving,
                calendar_busy=calendar_busy,
            ):
                if not (calendar_busy or over_busy):
                    raise BusyInOwnCalendar(candidate.name)
                return candidate
    return None


def _flags_for(
    service: Service,
    details: PatientDetails,
    answers: IntakeAnswers | None,
    override: RuleOverride | None,
    *,
    now: dt.datetime,
) -> list[str]:
    """The booking's screening flags, from its answers or, booked without, the patient's
    latest ones; raises ``BookingError`` when they rule the service out."""
    if not answers:
        return flags_carried_over(service, details, override)
    age = intake.age_on(details.date_of_birth, timezone.localdate(now))
    if refusal := intake.refusal_for(service, answers.answers, age=age):
        raise BookingError(str(refusal))
    return intake.screening_flags(answers.answers, age)


def _is_new_patient(
    details: PatientDetails, answers: IntakeAnswers | None, *, now: dt.datetime
) -> bool:
    """Online, a visitor is new unless their answers are a returning patient's (a proven
    address that matched a patient seen before); by phone, the patient on record decides."""
    if answers is not None:
        return answers.kind != "returning"
    patient = selectors.patient_get_for_details(details=details)
    return selectors.patient_is_new(patient=patient, now=now)


def appointment_book(
    *,
    service: Service,
    practitioner: Practitioner | None,
    start: dt.datetime,
    details: PatientDetails,
    answers: IntakeAnswers | None,
    source_page_id: int | None = None,
    idempotency_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
    by_staff: bool = False,
    override: RuleOverride | None = None,
    over_busy: bool = False,
    preferred_practitioner_id: int | None = None,
) -> Appointment:
    """Books ``service`` at ``start`` (aware) with ``practitioner``, or the first one free:
    ``preferred_practitioner_id`` first, the one the patient was shown at that time.

    Returns the existing appointment when ``idempotency_key`` was already used (a double click).
    Raises ``SlotTaken`` with nearby free times if the time is gone, and ``BookingError`` for
    answers that rule the service out, an online booking without an email (staff may book a
    caller who has none) or past ``caps``. Staff bookings may come without ``answers``: the
    appointment is then "not screened yet" until the patient answers (views/screening.py), and
    their latest answers' rules apply (``RuledOut``, unless a practitioner gives an
    ``override``). A time only the practitioner's own calendar marks busy is refused online, and
    for staff raises ``BusyInOwnCalendar`` unless ``over_busy``. A new patient may book only
    services and practitioners open to new patients (``newcomers``).
    """
    now = now or timezone.now()
    if not (by_staff or details.email.strip()):
        raise BookingError("An email address is needed to book online.")
    new_patient = _is_new_patient(details, answers, now=now)
    if new_patient and (refused := newcomers.refusal(service, practitioner)):
        raise BookingError(refused)
    flags = _flags_for(service, details, answers, override, now=now)
    policy = selectors.booking_policy_get()  # once, for every practitioner tried and the buffer
    duration = dt.timedelta(minutes=service.duration_minutes)

    try:
        with transaction.atomic():
            chosen = _choose_practitioner(
                service=service,
                practitioner=practitioner,
                start=start,
                now=now,
                by_staff=by_staff,
                over_busy=over_busy,
                policy=policy,
                preferred_id=preferred_practitioner_id,
                new_patient=new_patient,
            )
            if chosen is None:
                raise SlotTaken()
            online_cap_check(details.email, details.phone, adding=1, now=now, by_staff=by_staff)
            appointment = _appointment_create(
                patient=patient_get_or_create(details),
                practitioner=chosen,
                service=service,
                start=start,
                duration=duration,
                buffer=policy.buffer,
                flags=flags,
                answers=answers,
                override=override,
                source_page_id=source_page_id,
                by_staff=by_staff,
                idempotency_key=idempotency_key,
                now=now,
            )
            transaction.on_commit(lambda: notifications.appointment_booked(appointment))
            signals.appointment_booked_on_commit(appointment)
    except (SlotTaken, IntegrityError, OperationalError) as error:
        if not _lost_the_time(error):
            raise
        # A second click of the same confirm finds its time taken by the first click's
        # booking (or, booking with anyone, meets the key's unique constraint): it gets
        # that booking. Asked only here, not before every booking.
        if existing := selectors.appointment_get_by_idempotency_key(key=idempotency_key):
            return existing
        # The time is gone, or (the exclusion constraint) another booking won the race.
        nearby = _alternatives(
            service, practitioner, start, now, policy, by_staff, new_patient=new_patient
        )
        raise SlotTaken(nearby) from None
    return appointment


def _appointment_create(
    *,
    patient: Patient,
    practitioner: Practitioner,
    service: Service,
    start: dt.datetime,
    duration: dt.timedelta,
    buffer: dt.timedelta,
    flags: list[str],
    answers: IntakeAnswers | None,
    override: RuleOverride | None,
    source_page_id: int | None,
    by_staff: bool,
    idempotency_key: uuid.UUID | None,
    now: dt.datetime,
) -> Appointment:
    """The appointment's rows, once its time is known to be free: the appointment, the
    patient's answers if there are any, and a practitioner's override of their rules."""
    appointment = Appointment.objects.create(
        patient=patient,
        practitioner=practitioner,
        service=service,
        starts_at=start,
        ends_at=start + duration,
        blocked_until=start + duration + buffer,
        flags=flags,
        screened=answers is not None,
        is_first_visit=answers.kind == "new" if answers else not patient.appointments.exists(),
        source_page_id=source_page_id,
        booked_by_staff=by_staff,
        idempotency_key=idempotency_key,
    )
    if answers:
        Intake.objects.create(
            appointment=appointment,
            kind=answers.kind,
            pain_score=answers.pain_score,
            answers=answers.answers,
            consented_at=now,
            privacy_acknowledged_at=now,
            cancellation_policy_acknowledged_at=now,
        )
    if override:
        override_record(appointment, override)
    return appointment


def _alternatives(
    service, practitioner, start, now, policy, by_staff, *, new_patient: bool
) -> list[slots.Slot]:
    """The free times nearest ``start``; for staff, inside the minimum notice too; for a
    new patient, only with practitioners who see new patients."""
    return selectors.slot_list_nearest(
        service=service,
        practitioner=practitioner,
        around=start,
        now=now,
        policy=policy,
        ignore_notice=by_staff,
        new_patient=new_patient,
    )


def appointment_cancel(
    *,
    appointment: Appointment,
    now: dt.datetime | None = None,
    by_staff: bool = False,
    reason: str = "",
    notify: bool = True,
) -> Appointment:
    """Cancels at once, freeing the time. Patients only within the cancellation window.
    ``notify=False``: the caller sends the emails (one for a course's sessions together)."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != AppointmentStatus.CONFIRMED:
            raise BookingError("This appointment is no longer active.")
        if not by_staff and not selectors.appointment_patient_can_change(appointment, now=now):
            raise TooLateToChange("It is too late to cancel online.")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.cancellation_reason = reason[:300]
        appointment.sequence += 1
        appointment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancellation_reason",
                "sequence",
                "updated_at",
            ]
        )
        if appointment.course_id:
            # "4 of 4 booked" is not said of a course with a session cancelled.
            Course.objects.get(pk=appointment.course_id).uncount([appointment])
        if notify:
            transaction.on_commit(lambda: notifications.appointment_cancelled(appointment))
        _freed(appointment, appointment.starts_at)
    return appointment


def _freed(appointment: Appointment, start: dt.datetime) -> None:
    """Tells, on commit, that the time the appointment held from ``start`` is free."""
    length = appointment.blocked_until - appointment.starts_at
    signals.time_freed_on_commit(
        practitioner_id=appointment.practitioner_id, start=start, end=start + length
    )


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    now: dt.datetime | None = None,
    by_staff: bool = False,
    over_busy: bool = False,
) -> Appointment:
    """Moves the appointment to another free time under the same rules, in one step
    (``over_busy`` as for ``appointment_book``)."""
    now = now or timezone.now()
    policy = selectors.booking_policy_get()
    try:
        with transaction.atomic():
            # Lock the appointment's row only. Locking the joined practitioner's row too
            # made a booking for them wait on it (to check its foreign key) while this move
            # waited on that booking's new row (to check the overlap): a deadlock.
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("service", "practitioner")
                .get(pk=appointment.pk)
            )
            if appointment.status != AppointmentStatus.CONFIRMED:
                raise BookingError("This appointment is no longer active.")
            if not by_staff and not selectors.appointment_patient_can_change(appointment, now=now):
                raise TooLateToChange("It is too late to change this appointment online.")
            if not _choose_practitioner(
                service=appointment.service,
                practitioner=appointment.practitioner,
                start=start,
                now=now,
                by_staff=by_staff,
                over_busy=over_busy,
                policy=policy,
                moving=appointment,
            ):
                raise SlotTaken()
            was = appointment.starts_at
            appointment.move_to(start)
            transaction.on_commit(lambda: notifications.appointment_moved(appointment))
            _freed(appointment, was)
    except (SlotTaken, IntegrityError, OperationalError) as error:
        if not _lost_the_time(error):
            raise
        raise SlotTaken(
            # A move keeps the practitioner: whoever they see, they see this patient.
            _alternatives(
                appointment.service,
                appointment.practitioner,
                start,
                now,
                policy,
                by_staff,
                new_patient=False,
            )
        ) from None
    return appointment


# What staff record once the time has come (their own writes beside cancel and reschedule).
OUTCOMES_CAN_CHANGE = set(AppointmentStatus) - {AppointmentStatus.CANCELLED, AppointmentStatus.HELD}


def appointment_record_outcome(
    *, appointment: Appointment, status: str, now: dt.datetime | None = None
) -> Appointment:
    """Marks a visit completed or a no-show from its start time on; never a cancelled one."""
    if appointment.status not in OUTCOMES_CAN_CHANGE:
        raise BookingError("A cancelled appointment cannot be marked.")
    if status != AppointmentStatus.CONFIRMED and (now or timezone.now()) < appointment.starts_at:
        raise BookingError("What happened can be recorded once the visit has started.")
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    return appointment


def practitioner_calendar_token_renew(*, practitioner: Practitioner) -> Practitioner:
    """A new secret for the practitioner's calendar feed: the old address stops working."""
    practitioner.calendar_token = new_calendar_token()
    practitioner.save(update_fields=["calendar_token"])
    return practitioner
