"""The private manage link: see the appointment, cancel it, or move it to another free time."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.local_time import zone_label

from .. import emails, ratelimit, selectors, services
from ..courses.present import manage_context as course_context
from ..courses.present import move_rows, move_summary
from ..courses.selectors import SCOPE_LABELS, Scope
from ..courses.services import course_move
from ..manage_links import appointment_for_token
from ..progress.selectors import peg_is_asked
from .picker import encode_slot_choice, picker_context, posted_slot_choice


class TooManyGuesses(Exception):
    pass


def appointment_for_link(request, token: str, *, after_visit: bool = False):
    """The appointment behind a manage link, while it is of use.

    The link stops working once the appointment is over; with ``after_visit`` (the manage
    page itself, and booking more sessions) only ``COURSE_REQUEST_DAYS_AFTER`` days later.
    A link that opens nothing counts against the address (``ratelimit.link_missed``), so
    tokens cannot be guessed by trying; a link that opens an appointment is never refused.
    """
    appointment = appointment_for_token(token)
    open_until = appointment.ends_at if appointment else None
    if open_until and after_visit:
        open_until += dt.timedelta(days=settings.COURSE_REQUEST_DAYS_AFTER)
    if appointment is None and ratelimit.link_missed(request):
        raise TooManyGuesses
    if appointment is None or open_until < timezone.now():
        raise Http404("No such appointment.")
    return appointment


def too_many_guesses(request):
    return render(
        request,
        "booking/too_many_attempts.html",
        {"meta_title": "Too many attempts"},
        status=429,
    )


def guarded(view):
    """Answers 429 to an address that followed too many wrong links."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except TooManyGuesses:
            return too_many_guesses(request)

    return wrapper


def _page(request, appointment, template="booking/manage.html", status=200, **extra):
    now = timezone.now()
    tz = timezone.get_default_timezone()
    policy = selectors.booking_policy_get()
    token = extra.pop("token")
    context = {
        "appointment": appointment,
        "token": token,
        "start_local": appointment.starts_at.astimezone(tz),
        "end_local": appointment.ends_at.astimezone(tz),
        "zone_name": zone_label(),
        "can_change": selectors.appointment_patient_can_change(appointment, now=now, policy=policy),
        "change_until": (appointment.starts_at - policy.cancellation_window).astimezone(tz),
        "just_booked": request.session.pop("just_booked", None) == str(appointment.public_id),
        "visit_over": appointment.ends_at < now,
        "can_ask_course": selectors.appointment_can_start_course(appointment, now=now),
        "peg_asked": peg_is_asked(appointment, now=now, policy=policy),
        "meta_title": "Your appointment",
        **course_context(appointment, token),
        **extra,
    }
    return render(request, template, context, status=status)


@never_cache
@guarded
def manage(request, token):
    appointment = appointment_for_link(request, token, after_visit=True)
    return _page(request, appointment, token=token)


@never_cache
@require_http_methods(["GET", "POST"])
@guarded
def cancel(request, token):
    """GET asks "are you sure?"; POST cancels. Either way the answer is the manage page,
    reached by a redirect, so reloading it never sends the form again."""
    appointment = appointment_for_link(request, token)
    if request.method == "GET":
        if not selectors.appointment_patient_can_change(appointment, now=timezone.now()):
            return redirect("booking:manage", token=token)
        return _page(request, appointment, template="booking/cancel.html", token=token)
    try:
        services.appointment_cancel(appointment=appointment)
    except services.BookingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your appointment is cancelled.")
    return redirect("booking:manage", token=token)


@never_cache
@guarded
def calendar_file(request, token):
    """The appointment as a calendar file, for "Add to your calendar"."""
    appointment = appointment_for_link(request, token)
    response = HttpResponse(
        emails.patient_calendar_file(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def _move_this_session(appointment, *, start, now) -> str | None:
    """Moves the one session to ``start``; why it could not, if it could not."""
    try:
        services.appointment_reschedule(appointment=appointment, start=start, now=now)
    except services.SlotTaken:
        return "That time is no longer free. Please choose another one."
    except services.BookingError as refused:
        return str(refused)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@guarded
def reschedule(request, token):
    appointment = appointment_for_link(request, token)
    now = timezone.now()
    if not selectors.appointment_patient_can_change(appointment, now=now):
        return redirect("booking:manage", token=token)
    error = None
    if request.method == "POST":
        choice, error = posted_slot_choice(request)
        scope = posted_scope(request)
        if choice and scope is not Scope.THIS and appointment.course_id:
            return _move_course(request, appointment, token, choice[0], scope, now)
        if choice:
            error = _move_this_session(appointment, start=choice[0], now=now)
            if error is None:
                messages.success(request, "Your appointment has moved.")
                return redirect("booking:manage", token=token)
    context = picker_context(
        request,
        service=appointment.service,
        practitioner=appointment.practitioner,
        now=now,
        exclude=appointment,
    )
    return _page(
        request,
        appointment,
        template="booking/reschedule.html",
        status=400 if error else 200,
        token=token,
        error=error,
        **context,
    )


def posted_scope(request) -> Scope:
    """The scope a move or cancel form sent; "this session" for anything else."""
    try:
        return Scope(request.POST.get("scope", ""))
    except ValueError:
        return Scope.THIS


def _move_course(request, appointment, token, start, scope, now):
    """Moves every session of ``scope`` by the same shift, or, if any cannot move, none:
    then a page lists which cannot and why, to move the others or choose another time."""
    try:
        outcome = course_move(appointment=appointment, scope=scope, start=start, now=now)
    except services.BookingError as refused:
        messages.error(request, str(refused))
        return redirect("booking:manage", token=token)
    if not outcome.held_back:
        messages.success(request, move_summary(outcome))
        return redirect("booking:manage", token=token)
    rows = move_rows(outcome, appointment)
    return _page(
        request,
        appointment,
        template="booking/course_move.html",
        status=409,
        token=token,
        rows=rows,
        movable=[row for row in rows if row["can_move"]],
        scope=scope.value,
        scope_label=SCOPE_LABELS[scope],
        slot=encode_slot_choice(start, appointment.practitioner_id),
        meta_title="Move sessions",
    )
