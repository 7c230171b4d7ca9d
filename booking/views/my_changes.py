"""Moving and cancelling from "My appointments": the manage link's own services, rules,
change window and emails (booking/services.py, booking/courses/services.py), reached by the
signed-in patient for their own appointments only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.local_time import zone_label

from .. import selectors, services
from ..contracts import BookingError
from ..courses.present import move_summary
from ..courses.selectors import SCOPE_LABELS, Scope
from ..courses.services import course_cancel, course_move
from .manage import posted_scope
from .my import own_visit, patient_required
from .picker import picker_context, posted_slot_choice


def _context(visit, **extra) -> dict:
    tz = timezone.get_default_timezone()
    return {
        "visit": visit,
        "start_local": visit.starts_at.astimezone(tz),
        "end_local": visit.ends_at.astimezone(tz),
        "zone_name": zone_label(),
        "scopes": [(s.value, label) for s, label in SCOPE_LABELS.items()]
        if visit.course_id
        else [],
        **extra,
    }


def _changeable(request, visit):
    """None when the patient may still change ``visit`` online; else where to go."""
    if visit.status == "confirmed" and selectors.appointment_patient_can_change(
        visit, now=timezone.now()
    ):
        return None
    messages.error(request, "It is too late to change this appointment online: please call us.")
    return redirect("my:home")


@never_cache
@require_http_methods(["GET", "POST"])
@patient_required
def cancel(request, public_id):
    """GET asks "are you sure?" (and, for a course, which sessions); POST cancels."""
    visit = own_visit(request, public_id)
    if refused := _changeable(request, visit):
        return refused
    if request.method == "GET":
        return render(
            request,
            "booking/my/cancel.html",
            _context(visit, meta_title="Cancel your appointment?"),
        )
    scope = posted_scope(request) if visit.course_id else Scope.THIS
    try:
        if scope is Scope.THIS:
            services.appointment_cancel(appointment=visit)
            said = "Your appointment is cancelled."
        else:
            outcome = course_cancel(appointment=visit, scope=scope, now=timezone.now())
            said = f"{len(outcome.cancelled)} cancelled."
            if outcome.too_late:
                said += (
                    f" {len(outcome.too_late)} too close to change online stay booked: "
                    "please call us."
                )
    except BookingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, said)
    return redirect("my:home")


@never_cache
@require_http_methods(["GET", "POST"])
@patient_required
def move(request, public_id):
    """A week of free times for the same session and practitioner; a course can move
    this session, the following ones, or all of them by the same shift."""
    visit = own_visit(request, public_id)
    if refused := _changeable(request, visit):
        return refused
    now = timezone.now()
    error = None
    if request.method == "POST":
        choice, error = posted_slot_choice(request)
        if choice:
            scope = posted_scope(request) if visit.course_id else Scope.THIS
            error = _move_to(request, visit, choice[0], scope, now)
            if error is None:
                return redirect("my:home")
    picker = picker_context(
        request, service=visit.service, practitioner=visit.practitioner, now=now, exclude=visit
    )
    return render(
        request,
        "booking/my/move.html",
        _context(visit, error=error, meta_title="Move your appointment", **picker),
        status=400 if error else 200,
    )


def _move_to(request, visit, start, scope, now) -> str | None:
    """Moves ``visit`` (and, for a course, the sessions of ``scope``) to ``start``; None
    when done (with the message said), else why not."""
    if scope is not Scope.THIS:
        try:
            outcome = course_move(appointment=visit, scope=scope, start=start, now=now)
        except BookingError as refused:
            return str(refused)
        if outcome.held_back:
            return (
                "Not every session can move by the same shift, so none has moved: "
                + move_summary(outcome)
                + " Choose another time, or move this session alone."
            )
        messages.success(request, move_summary(outcome))
        return None
    try:
        services.appointment_reschedule(appointment=visit, start=start, now=now)
    except services.SlotTaken:
        return "That time is no longer free. Please choose another one."
    except BookingError as refused:
        return str(refused)
    messages.success(request, "Your appointment has moved.")
    return None
