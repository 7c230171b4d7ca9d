"""Staff notes on an appointment, of two kinds: clinical (health information, for the
treating practitioner and superusers) and desk (for everyone on the schedule). Who reads
and who writes which: ``booking.access``."""

from .models import Appointment, AppointmentNote


def appointment_note_add(
    *, appointment: Appointment, author, text: str, kind: str
) -> AppointmentNote:
    """A note on the appointment, stored encrypted, never shown to the patient."""
    return AppointmentNote.objects.create(
        appointment=appointment, author=author, text=text, kind=kind
    )
