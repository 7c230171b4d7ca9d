"""Sample appointments for made-up patients, so a newcomer sees a living agenda.

Made through the booking service, like real bookings, on free times of the coming
two weeks; plus a few past visits for one patient so the pain chart has a history.
A patient coming for a follow-up had their new patient visit some weeks before: only
that first visit is a "First visit". Only when no demo patient exists yet.
"""

import datetime as dt
import random

from django.utils import timezone

from booking import intake, selectors, services
from booking.models import Appointment, AppointmentStatus, Intake, Patient, Practitioner, Service

PATIENTS = [
    ("Avery", "Testwell"),
    ("Jordan", "Samplesmith"),
    ("Riley", "Demoford"),
    ("Casey", "Placeholder"),
    ("Morgan", "Fictionson"),
    ("Quinn", "Madeupton"),
    ("Harper", "Notreal"),
    ("Rowan", "Exampleby"),
]


def _answers(rng: random.Random, *, flagged: bool, kind: str = "new") -> services.IntakeAnswers:
    answers = intake.no_answers()
    if flagged:
        answers[f"screen_{rng.choice(['blood_thinners', 'pregnancy', 'needle_anxiety'])}"] = "yes"
    answers.update(
        {
            "pain_areas": [rng.choice(["neck", "lower_back", "upper_back"])],
            "pain_duration": rng.choice(["6_to_12_weeks", "over_3_months"]),
            "pain_onset": rng.choice(["posture", "injury", "unknown"]),
            "worse": "Sitting for a long time",
            "better": "Walking, warmth",
            "referral": "article",
        }
    )
    score = rng.randint(3, 8)
    answers["pain_score"] = score
    return services.IntakeAnswers(kind=kind, pain_score=score, answers=answers)


def load_sample_appointments(report) -> None:
    if Patient.objects.filter(email__endswith="@example.com", last_name="Testwell").exists():
        return
    rng = random.Random(7)
    now = timezone.now()
    tz = timezone.get_default_timezone()
    services_by_slug = {s.slug: s for s in Service.objects.all()}
    made = 0
    for number, (first, last) in enumerate(PATIENTS):
        service = services_by_slug[
            "new-patient-visit" if number % 3 == 0 else "follow-up-treatment"
        ]
        free = selectors.slot_list_free(
            service=service,
            practitioner=None,
            first_day=now.astimezone(tz).date() + dt.timedelta(days=number % 7),
            days=7,
            now=now,
        )
        if not free:
            continue
        slot = rng.choice(free[: max(1, len(free) // 2)])
        details = services.PatientDetails(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@example.com",
            phone=f"(555) 010-{2000 + number:04d}",
            date_of_birth=dt.date(1960 + number * 4, 1 + number, 10 + number),
        )
        returning = service.slug == "follow-up-treatment"
        appointment = services.appointment_book(
            service=service,
            practitioner=Practitioner.objects.get(pk=slot.practitioner_id),
            start=slot.start,
            details=details,
            answers=_answers(
                rng, flagged=number in (1, 4), kind="returning" if returning else "new"
            ),
            now=now,
        )
        if returning:
            _first_visit_before(appointment, details, random.Random(number))
        made += 1
    _history_for_first_patient(now, rng)
    report.add(f"{made} sample appointments for made-up patients")


def _first_visit_before(
    upcoming: Appointment, details: services.PatientDetails, rng: random.Random
) -> None:
    """The new patient visit a follow-up patient had, a few weeks before, on a time that
    was free then (booked through the service as if a week ahead, then completed)."""
    first_visit = Service.objects.get(slug="new-patient-visit")
    tz = timezone.get_default_timezone()
    for weeks_ago in (3, 5, 7):
        first_day = upcoming.starts_at.astimezone(tz).date() - dt.timedelta(weeks=weeks_ago)
        then = dt.datetime.combine(first_day - dt.timedelta(days=7), dt.time(9), tzinfo=tz)
        free = selectors.slot_list_free(
            service=first_visit, practitioner=None, first_day=first_day, days=5, now=then
        )
        if free:
            slot = rng.choice(free[:20])
            visit = services.appointment_book(
                service=first_visit,
                practitioner=Practitioner.objects.get(pk=slot.practitioner_id),
                start=slot.start,
                details=details,
                answers=_answers(rng, flagged=False),
                now=then,
            )
            Appointment.objects.filter(pk=visit.pk).update(status=AppointmentStatus.COMPLETED)
            return


def _history_for_first_patient(now: dt.datetime, rng: random.Random) -> None:
    """Four past visits with falling pain scores: what the patient page's chart shows. The
    first was the new patient visit; every later one, the coming one too, is a follow-up."""
    patient = Patient.objects.filter(last_name="Testwell").first()
    if patient is None:
        return
    upcoming = patient.appointments.first()
    first_visit = Service.objects.get(slug="new-patient-visit")
    follow_up = Service.objects.get(slug="follow-up-treatment")
    buffer = selectors.booking_policy_get().buffer
    tz = timezone.get_default_timezone()
    upcoming_local = upcoming.starts_at.astimezone(tz)
    for weeks_ago, score in ((8, 8), (6, 7), (4, 5), (2, 4)):
        # Same weekday and time as the upcoming visit, some weeks earlier: inside the hours.
        day = upcoming_local.date() - dt.timedelta(weeks=weeks_ago)
        start = dt.datetime.combine(day, upcoming_local.time(), tzinfo=tz).astimezone(dt.UTC)
        service = first_visit if weeks_ago == 8 else follow_up
        length = dt.timedelta(minutes=service.duration_minutes)
        visit = Appointment.objects.create(
            patient=patient,
            practitioner=upcoming.practitioner,
            service=service,
            starts_at=start,
            ends_at=start + length,
            blocked_until=start + length + buffer,
            status=AppointmentStatus.COMPLETED,
            is_first_visit=weeks_ago == 8,
        )
        Intake.objects.create(
            appointment=visit,
            kind="new" if weeks_ago == 8 else "returning",
            pain_score=score,
            answers={"changes": "Sleeping better" if score < 7 else "", "pain_score": score},
            consented_at=start - dt.timedelta(days=1),
            privacy_acknowledged_at=start - dt.timedelta(days=1),
            cancellation_policy_acknowledged_at=start - dt.timedelta(days=1),
        )
    # Booked as the first of the made-up patients' visits; with this history it is a
    # follow-up, which is shorter, so it only ever frees time.
    upcoming.service = follow_up
    upcoming.ends_at = upcoming.starts_at + dt.timedelta(minutes=follow_up.duration_minutes)
    upcoming.blocked_until = upcoming.ends_at + buffer
    upcoming.is_first_visit = False
    upcoming.save(
        update_fields=["service", "ends_at", "blocked_until", "is_first_visit", "updated_at"]
    )
