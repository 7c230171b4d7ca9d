"""A patient's page: their visits over time and, for those allowed, the pain and PEG charts."""

import datetime as dt
from dataclasses import dataclass

from .. import access, selectors
from ..models import Appointment, AppointmentStatus, Patient, WaitlistEntry
from ..progress.chart import peg_summary, score_chart
from ..progress.selectors import peg_history
from .course import patient_course_list
from .waitlist import entries_visible_to


@dataclass(frozen=True)
class Attendance:
    """How a patient has kept their appointments: what the front desk sees when they call."""

    completed: int
    no_shows: int
    late_cancellations: int

    @property
    def text(self) -> str:
        """ "3 visits completed, 1 no-show, 0 late cancellations"."""

        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        return ", ".join(
            [
                count(self.completed, "visit completed", "visits completed"),
                count(self.no_shows, "no-show", "no-shows"),
                count(self.late_cancellations, "late cancellation", "late cancellations"),
            ]
        )


def attendance_of(appointments, *, window: dt.timedelta) -> Attendance:
    """Counts over ``appointments``: a late cancellation is one cancelled within the
    cancellation window before its start (when online changes had closed)."""
    statuses = [
        (a.status, a.cancelled_at is not None and a.starts_at - a.cancelled_at < window)
        for a in appointments
    ]
    return Attendance(
        completed=sum(s == AppointmentStatus.COMPLETED for s, _ in statuses),
        no_shows=sum(s == AppointmentStatus.NO_SHOW for s, _ in statuses),
        late_cancellations=sum(s == AppointmentStatus.CANCELLED and late for s, late in statuses),
    )


def patient_attendance(patient: Patient) -> Attendance:
    """The patient's attendance over all their appointments (one query)."""
    return attendance_of(
        Appointment.objects.filter(patient=patient).only("status", "starts_at", "cancelled_at"),
        window=selectors.booking_policy_get().cancellation_window,
    )


def patient_page_context(request, patient: Patient) -> dict:
    appointments = access.appointments_visible_to(
        request.user,
        Appointment.objects.filter(patient=patient)
        .select_related("service", "practitioner__profile", "intake")
        .defer("intake__answers"),  # the page shows pain scores, never the answers
    ).order_by("starts_at")
    appointments = list(appointments)
    context = {
        "appointments": appointments,
        # What they wait for, never their answers (those are deferred: not even loaded);
        # for a practitioner, the entries the waiting list shows her (not a colleague's).
        "waiting": list(
            entries_visible_to(
                request.user,
                WaitlistEntry.objects.filter(patient=patient)
                .select_related("service", "practitioner__profile")
                .defer("answers", "pain_score")
                .order_by("-created_at"),
            )
        )
        if request.user.has_perm("booking.view_waitlistentry")
        else [],
        "courses": patient_course_list(appointments),
        "attendance": patient_attendance(patient),
        "chart": None,
        "shows_health": False,
    }
    if access.can_see_health_history(request.user, patient):
        scored = [a for a in appointments if getattr(a, "intake", None) is not None]
        access.record_intake_views(request.user, scored, what="patient page (pain chart)")
        context["shows_health"] = True
        context["chart"] = score_chart(
            [(f"{a.local_starts_at:%b %-d}", a.intake.pain_score) for a in scored]
        )
        context.update(peg_context(request.user, patient))
    return context


def peg_context(user, patient: Patient) -> dict:
    """The PEG chart beside the pain chart, for those who see the health history: each
    appointment whose PEG answers are shown is logged as a view, like the intake's."""
    history = peg_history(patient=patient, visible_to=user)
    access.record_intake_views(user, [a for a, _ in history], what="patient page (PEG chart)")
    return peg_summary(history)
