"""What the appointment's admin page shows, and to whom."""

from django.utils import timezone

from .. import access, questions, selectors
from ..forms import intake_rows
from ..models import Appointment
from .course import appointment_course_context
from .forms import NoteForm, OutcomeForm
from .patient_page import patient_attendance


def appointment_page_context(request, appointment: Appointment) -> dict:
    user = request.user
    now = timezone.now()
    context = {
        "can_change": user.has_perm("booking.change_appointment"),
        "can_add_note": user.has_perm("booking.add_appointmentnote"),
        "notes": list(appointment.notes.select_related("author")),
        "outcome_form": OutcomeForm(),
        "note_form": NoteForm(),
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
