"""A patient's page: their appointments over time and, for those allowed, the pain chart."""

import datetime as dt
from dataclasses import dataclass

from .. import access, selectors
from ..models import Appointment, AppointmentStatus, Patient, WaitlistEntry
from .course import patient_course_list
from .waitlist import entries_visible_to

CHART_WIDTH = 560
CHART_HEIGHT = 220
MARGIN = 36


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: int
    label: str


def pain_chart(scores: list[tuple[str, int]]) -> dict | None:
    """SVG geometry for pain scores (0-10) in visit order; None with fewer than two visits."""
    if len(scores) < 2:
        return None
    inner_width = CHART_WIDTH - 2 * MARGIN
    inner_height = CHART_HEIGHT - 2 * MARGIN
    step = inner_width / (len(scores) - 1)
    points = [
        ChartPoint(
            x=round(MARGIN + i * step, 1),
            y=round(MARGIN + inner_height * (1 - score / 10), 1),
            score=score,
            label=label,
        )
        for i, (label, score) in enumerate(scores)
    ]
    gridlines = [
        {"value": value, "y": round(MARGIN + inner_height * (1 - value / 10), 1)}
        for value in (0, 5, 10)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "gridlines": gridlines,
        "left": MARGIN,
        "right": CHART_WIDTH - MARGIN,
        "first": scores[0][1],
        "last": scores[-1][1],
    }


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
        context["chart"] = pain_chart(
            [(f"{a.local_starts_at:%b %-d}", a.intake.pain_score) for a in scored]
        )
    return context
