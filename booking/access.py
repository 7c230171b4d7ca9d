"""Who on the staff may see what. Health information follows these rules everywhere.

- Superusers see everything.
- Front desk (``booking.add_appointment``) sees every appointment and patient's
  contact details, never intake answers or pain scores.
- A practitioner (a user linked to a ``Practitioner``) sees their own appointments,
  and the intake answers of their own patients (``booking.view_intake``).
- Notes: desk notes are everyone's on the schedule; clinical notes follow the intake
  answers' rule, and each look at them is logged the same way.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log, registry

from .models import Appointment, AppointmentNote, NoteKind, Patient, Practitioner

VIEW_INTAKE_ACTION = "booking.view_intake"
VIEW_CLINICAL_NOTES_ACTION = "booking.view_clinical_notes"


def practitioner_of(user) -> Practitioner | None:
    if not user.is_authenticated:
        return None
    return Practitioner.objects.filter(user=user).first()


def sees_whole_schedule(user) -> bool:
    return user.is_superuser or user.has_perm("booking.add_appointment")


def appointments_visible_to(user, appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    openable = practitioners_openable_by(user)
    if openable is None:
        return appointments
    return appointments.filter(practitioner_id__in=openable) if openable else appointments.none()


def patients_visible_to(user, patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Everyone for whoever sees the whole schedule; a practitioner's own patients (those
    with an appointment with them) for a practitioner; nobody for anyone else."""
    if sees_whole_schedule(user):
        return patients
    practitioner = practitioner_of(user)
    if practitioner is None:
        return patients.none()
    return patients.filter(
        pk__in=Appointment.objects.filter(practitioner=practitioner).values("patient_id")
    )


def practitioners_openable_by(user) -> frozenset[int] | None:
    """Whose appointments ``user`` may open: ``None`` for everyone's, else those practitioners'
    (their own, or none). For lists that show more than their viewer may open, such as the
    agenda, so that what cannot be opened is shown without a link rather than a 404."""
    if sees_whole_schedule(user):
        return None
    practitioner = practitioner_of(user)
    if practitioner is None or not user.has_perm("booking.view_appointment"):
        return frozenset()
    return frozenset({practitioner.pk})


def may_manage_calendars(user, practitioner: Practitioner) -> bool:
    """The practitioner's private feed and own calendars: theirs, and whoever may change
    practitioners."""
    return (
        user.is_superuser
        or user.has_perm("booking.change_practitioner")
        or (user.is_authenticated and practitioner.user_id == user.pk)
    )


def can_see_intake(user, appointment: Appointment) -> bool:
    if user.is_superuser:
        return True
    if not user.has_perm("booking.view_intake"):
        return False
    practitioner = practitioner_of(user)
    return practitioner is not None and appointment.practitioner_id == practitioner.pk


def may_override_rules(user) -> bool:
    """Whether ``user`` may book what a patient's answers rule out (with a written reason):
    practitioners, who read the answers, and superusers; never front desk."""
    return user.is_superuser or (
        user.has_perm("booking.view_intake") and practitioner_of(user) is not None
    )


def may_book_by_phone(user) -> bool:
    """Whether ``user`` may book for a patient in the admin: front desk, and practitioners
    (who may also override a rule)."""
    return user.has_perm("booking.add_appointment") or may_override_rules(user)


def can_see_clinical_notes(user, appointment: Appointment) -> bool:
    """Clinical notes are health information: the intake answers' rule (superusers, and
    the practitioner treating this appointment)."""
    return can_see_intake(user, appointment)


def notes_visible_to(user, appointment: Appointment) -> list[AppointmentNote]:
    """The appointment's notes ``user`` may read: desk notes for everyone on the schedule,
    clinical notes too for whoever may see them."""
    notes = appointment.notes.select_related("author")
    if not can_see_clinical_notes(user, appointment):
        notes = notes.filter(kind=NoteKind.DESK)
    return list(notes)


def note_kinds_writable_by(user, appointment: Appointment) -> list[str]:
    """Desk notes for whoever may add notes; clinical ones only for whoever may read them."""
    if not user.has_perm("booking.add_appointmentnote") and not user.is_superuser:
        return []
    if can_see_clinical_notes(user, appointment):
        return [NoteKind.CLINICAL, NoteKind.DESK]
    return [NoteKind.DESK]


def record_clinical_notes_view(user, appointment: Appointment) -> None:
    """Each look at an appointment's clinical notes goes into Wagtail's log, as a look at
    the answers does: who, when, which appointment."""
    log(instance=appointment, action=VIEW_CLINICAL_NOTES_ACTION, user=user)


def can_see_health_history(user, patient: Patient) -> bool:
    """Pain scores across visits: superusers, and practitioners who have treated the patient."""
    if user.is_superuser:
        return True
    if not user.has_perm("booking.view_intake"):
        return False
    practitioner = practitioner_of(user)
    return (
        practitioner is not None and patient.appointments.filter(practitioner=practitioner).exists()
    )


def record_intake_view(user, appointment: Appointment, *, what: str = "appointment page") -> None:
    """Every look at intake answers goes into Wagtail's log: who, when, which appointment."""
    log(
        instance=appointment,
        action=VIEW_INTAKE_ACTION,
        user=user,
        data={"where": what},
    )


def record_intake_views(user, appointments: list[Appointment], *, what: str) -> None:
    """``record_intake_view`` for many appointments at once (a patient's page with years of
    visits), in one insert: the same entries, one an appointment."""
    if not appointments:
        return
    log_model = registry.get_log_model_for_model(Appointment)
    content_type = ContentType.objects.get_for_model(Appointment, for_concrete_model=False)
    context = get_active_log_context()
    now = timezone.now()
    log_model.objects.bulk_create(
        log_model(
            content_type=content_type,
            object_id=str(appointment.pk),
            label=str(appointment),
            action=VIEW_INTAKE_ACTION,
            timestamp=now,
            data={"where": what},
            user=user or context.user,
            uuid=context.uuid,
        )
        for appointment in appointments
    )
