"""Reading PEG answers: a patient's history, and whether an appointment still asks for them."""

from __future__ import annotations

import datetime as dt

from .. import access
from ..models import Appointment, AppointmentStatus, BookingPolicy, Patient, PegReport
from ..selectors import booking_policy_get
from .peg import PegAnswers


def peg_history(*, patient: Patient, visible_to=None) -> list[tuple[Appointment, PegAnswers]]:
    """The patient's PEG answers in visit order (one query), each with its appointment;
    with ``visible_to`` (a staff user), only the appointments that user may open."""
    appointments = Appointment.objects.filter(patient=patient, peg__isnull=False)
    if visible_to is not None:
        appointments = access.appointments_visible_to(visible_to, appointments)
    rows = appointments.select_related("peg", "service", "practitioner__profile").order_by(
        "starts_at"
    )
    return [(a, a.peg.peg) for a in rows]


def peg_is_asked(
    appointment: Appointment, *, now: dt.datetime, policy: BookingPolicy | None = None
) -> bool:
    """Whether the patient may (still) answer the PEG for ``appointment``: the practice
    asks it, and the visit stands and has not started (answers describe the week before).
    ``policy``: the booking policy when the caller has read it already."""
    return (
        (policy or booking_policy_get()).ask_peg
        and appointment.status == AppointmentStatus.CONFIRMED
        and appointment.starts_at > now
    )


def peg_get(*, appointment: Appointment) -> PegAnswers | None:
    report = PegReport.objects.filter(appointment=appointment).first()
    return report.peg if report else None
