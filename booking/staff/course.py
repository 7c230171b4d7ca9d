"""Staff book a course from an appointment's admin page (the same form, preview and confirm
as patients, the minimum notice waived as for a phone booking), and cancel several of its
sessions at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from practice.local_time import zone_label

from .. import access
from ..contracts import BookingError
from ..courses import pages
from ..courses.selectors import SCOPE_LABELS, Scope, course_intake_get, course_session_list
from ..courses.services import course_cancel
from ..models import Appointment, AppointmentStatus, Course
from .actions import patient_told

CHANGE = "booking.change_appointment"


def _appointment(request, pk: int, permission: str) -> Appointment:
    """The appointment, if this staff member may change it and see it."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    visible = access.appointments_visible_to(request.user, Appointment.objects.all())
    appointment = (
        visible.select_related("patient", "service", "practitioner__profile").filter(pk=pk).first()
    )
    if appointment is None:
        raise Http404
    return appointment


@require_http_methods(["GET", "POST"])
def book_course(request, pk):
    appointment = _appointment(request, pk, CHANGE)
    if appointment.status != AppointmentStatus.CONFIRMED:
        messages.error(request, "This appointment is no longer active.")
        return redirect("booking_appointment:inspect", appointment.pk)
    now = timezone.now()
    context, status = {}, 200
    if request.method == "POST":
        outcome, context, status = pages.confirm(
            request, appointment=appointment, now=now, by_staff=True, user=request.user
        )
        if outcome is not None and not outcome.taken:
            told = patient_told(appointment).replace("an email", "an email for each session")
            messages.success(request, f"{pages.summary_of(outcome)} {told.capitalize()}")
            return redirect("booking_appointment:inspect", appointment.pk)
    if not context.get("rows"):
        context = {
            **pages.request_context(request, appointment=appointment, now=now, by_staff=True),
            **context,
        }
    return render(
        request,
        "booking/staff/course_book.html",
        {"appointment": appointment, "zone_name": zone_label(), "staff": True, **context},
        status=status,
    )


@require_POST
def cancel_course(request, pk):
    appointment = _appointment(request, pk, CHANGE)
    try:
        scope = Scope(request.POST.get("scope", ""))
        outcome = course_cancel(
            appointment=appointment,
            scope=scope,
            by_staff=True,
            reason=request.POST.get("reason", "")[:300],
        )
    except ValueError:
        messages.error(request, "Choose which sessions to cancel.")
    except BookingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{len(outcome.cancelled)} cancelled; {patient_told(appointment)}"
        )
    return redirect("booking_appointment:inspect", appointment.pk)


def appointment_course_context(appointment: Appointment) -> dict:
    """The appointment page's course: its summary and sessions, and which appointment holds
    the answers given once for it (two queries, none without a course)."""
    if appointment.course_id is None:
        return {"course": None}
    sessions = course_session_list(appointment=appointment)
    answered = course_intake_get(appointment=appointment)
    return {
        "course": appointment.course,
        "course_sessions": sessions,
        "course_answered_with": answered.appointment
        if answered and answered.appointment_id != appointment.pk
        else None,
        "course_scopes": list(SCOPE_LABELS.items()),
    }


def patient_course_list(appointments) -> list:
    """The courses of these (visible) appointments, newest first: one query."""
    ids = {a.course_id for a in appointments if a.course_id}
    if not ids:
        return []
    return list(
        Course.objects.filter(pk__in=ids).select_related("service", "practitioner__profile")
    )
