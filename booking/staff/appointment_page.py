"""What the appointment's admin page shows, and to whom."""

from django.utils import timezone

from .. import access, questions, selectors
from ..forms import intake_rows
from ..models import Appointment, NoteKind
from .course import appointment_course_context
from .forms import NoteForm, OutcomeForm
from .patient_page import patient_attendance


def appointment_page_context(request, appointment: Appointment) -> dict:
    user = request.user
    now = timezone.now()
    notes = access.notes_visible_to(user, appointment)
    if any(note.kind == NoteKind.CLINICAL for note in notes):
        access.record_clinical_notes_view(user, appointment)
    note_kinds = access.note_kinds_writable_by(user, appointment)
    context = {
        "can_change": user.has_perm("booking.change_appointment"),
        "can_add_note": bool(note_kinds),
        "notes": notes,
        "outcome_form": OutcomeForm(),
        "note_form": NoteForm(kinds=note_kinds),
        "is_active": appointment.status == "confirmed",
        # Completed or no-show may be recorded from the start time on, not before.
        "has_started": appointment.starts_at <= now,
        "patient_can_still_change": selectors.appointment_patient_can_change(appointment, now=now),
        "shows_intake": False,
        "attendance": patient_attendance(appointment.patient),
        **appointment_course_context(appointment),
    }
    if access.can_see_intake(user, appointment):
        intake = getattr(appointment, "intake", None)
        if intake is not None:
            access.record_intake_view(user, appointment)
            context.update(
                {
                    "shows_intake": True,
                    "intake": intake,
                    "intake_rows": intake_rows(intake.answers),
                    "flag_labels": [questions.FLAG_LABELS[f] for f in appointment.flags],
                }
            )
    return context
