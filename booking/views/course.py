"""A course of treatment from the manage link (the booking's confirmation page is that page
too): "Book more sessions" (form, preview, confirm), and moving or cancelling several
sessions."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.local_time import zone_label

from .. import ratelimit, selectors
from ..caps import burst_noted
from ..contracts import BookingError
from ..courses import pages
from ..courses.present import move_summary
from ..courses.selectors import SCOPE_LABELS, Scope, course_session_list_in_scope
from ..courses.services import course_cancel, course_move
from .manage import appointment_for_link, guarded, posted_scope
from .picker import parse_slot_choice


@never_cache
@require_http_methods(["GET", "POST"])
@guarded
def more_sessions(request, token):
    """How many and how often, then one row a date, then booked."""
    appointment = appointment_for_link(request, token, after_visit=True)
    now = timezone.now()
    if not selectors.appointment_can_start_course(appointment, now=now):
        return redirect("booking:manage", token=token)
    context, status = {}, 200
    if request.method == "POST":
        limit = ratelimit.allow(
            request,
            scope="booking",
            limit=settings.BOOKING_SUBMISSIONS_PER_HOUR,
            window_seconds=3600,
            cost=pages.sessions_asked(request.POST),  # every appointment counts
        )
        if not limit:
            burst_noted("booking")
            context, status = (
                {
                    "error": "There have been too many booking attempts from your "
                    "connection. Please try again in a little while, or call us."
                },
                429,
            )
        else:
            outcome, context, status = pages.confirm(
                request, appointment=appointment, now=now, by_staff=False
            )
            if outcome is not None and not outcome.taken:
                messages.success(request, pages.summary_of(outcome))
                return redirect("booking:manage", token=token)
    if not context.get("rows"):
        context = {
            **pages.request_context(request, appointment=appointment, now=now, by_staff=False),
            **context,
        }
    return render(
        request,
        "booking/course.html",
        {
            "appointment": appointment,
            "token": token,
            "start_local": appointment.local_starts_at,
            "zone_name": zone_label(),
            "meta_title": "Book more sessions",
            **context,
        },
        status=status,
    )


def _scope(value: str) -> Scope | None:
    try:
        return Scope(value)
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
@guarded
def cancel_sessions(request, token):
    """GET lists the sessions a scope cancels and asks; POST cancels them."""
    appointment = appointment_for_link(request, token)
    scope = _scope(request.POST.get("scope") or request.GET.get("scope", ""))
    if scope is None or appointment.course_id is None:
        return redirect("booking:manage", token=token)
    now = timezone.now()
    if request.method == "POST":
        try:
            outcome = course_cancel(appointment=appointment, scope=scope, now=now)
        except BookingError as refused:
            messages.error(request, str(refused))
        else:
            said = f"{len(outcome.cancelled)} cancelled."
            if outcome.too_late:
                said += (
                    f" {len(outcome.too_late)} too close to change online stay booked: "
                    "please call us."
                )
            messages.success(request, said)
        return redirect("booking:manage", token=token)
    sessions = course_session_list_in_scope(appointment=appointment, scope=scope, now=now)
    tz = timezone.get_default_timezone()
    window = selectors.booking_policy_get().cancellation_window
    return render(
        request,
        "booking/course_cancel.html",
        {
            "appointment": appointment,
            "token": token,
            "scope": scope.value,
            "scope_label": SCOPE_LABELS[scope],
            "sessions": [
                {
                    "local": s.starts_at.astimezone(tz),
                    "can_change": s.starts_at - now >= window,
                }
                for s in sessions
            ],
            "zone_name": zone_label(),
            "meta_title": "Cancel sessions?",
        },
    )


def _public_ids(value: str) -> set[uuid.UUID]:
    ids = set()
    for part in str(value).split(",")[:50]:
        try:
            ids.add(uuid.UUID(hex=part))
        except ValueError:
            continue
    return ids


@never_cache
@require_http_methods(["POST"])
@guarded
def move_sessions(request, token):
    """ "Move the others" from the page that listed the sessions that cannot move: moves
    those it listed as free, and says which, if any, were taken since and stayed."""
    appointment = appointment_for_link(request, token)
    choice = parse_slot_choice(request.POST.get("slot", ""))
    scope = posted_scope(request)
    only = _public_ids(request.POST.get("sessions", ""))
    if choice is None or not only or appointment.course_id is None:
        return redirect("booking:reschedule", token=token)
    now = timezone.now()
    if not selectors.appointment_patient_can_change(appointment, now=now):
        return redirect("booking:manage", token=token)
    try:
        outcome = course_move(
            appointment=appointment, scope=scope, start=choice[0], now=now, only=only
        )
    except BookingError as refused:
        messages.error(request, str(refused))
    else:
        if outcome.moved:
            messages.success(request, move_summary(outcome))
        else:
            messages.error(request, move_summary(outcome))
    return redirect("booking:manage", token=token)
