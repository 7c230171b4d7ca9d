"""Staff actions on appointments, all through the booking service and its rules."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice import seek_care
from practice.local_time import moment, zone_label

from .. import access, notes, services
from ..courses.present import move_summary
from ..courses.selectors import SCOPE_LABELS, Scope
from ..courses.services import course_move
from ..models import Appointment
from . import phone_booking
from .forms import CancelForm, NoteForm, OutcomeForm, StaffBookingForm, StaffTimeForm


def _appointment(request, pk: int, permission: str) -> Appointment:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    appointment = (
        access.appointments_visible_to(request.user, Appointment.objects.all())
        .select_related("patient", "service", "practitioner__profile")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def patient_told(appointment: Appointment) -> str:
    """How the patient hears of a change staff made: by email, or by phone from staff."""
    if appointment.patient.has_email:
        return "the patient gets an email."
    return "the patient has no email: tell them by phone."


def _back(appointment):
    return redirect("booking_appointment:inspect", appointment.pk)


def cancel(request, pk):
    """Asks first (saying whether the patient will be told), then cancels on the answer."""
    appointment = _appointment(request, pk, "booking.change_appointment")
    if appointment.status != "confirmed":
        messages.error(request, "Only a confirmed appointment can be cancelled.")
        return _back(appointment)
    form = CancelForm(request.POST or None)
    if request.method != "POST":
        return render(
            request, "booking/staff/cancel_confirm.html", {"form": form, "appointment": appointment}
        )
    if form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment, by_staff=True, reason=form.cleaned_data["reason"]
            )
            messages.success(request, f"The appointment is cancelled; {patient_told(appointment)}")
        except services.BookingError as refused:
            messages.error(request, str(refused))
    return _back(appointment)


@require_POST
def outcome(request, pk):
    appointment = _appointment(request, pk, "booking.change_appointment")
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_record_outcome(
                appointment=appointment, status=form.cleaned_data["status"], now=timezone.now()
            )
            messages.success(request, f"Marked as {appointment.get_status_display().lower()}.")
        except services.BookingError as refused:
            messages.error(request, str(refused))
    return _back(appointment)


@require_POST
def add_note(request, pk):
    appointment = _appointment(request, pk, "booking.add_appointmentnote")
    form = NoteForm(request.POST, kinds=access.note_kinds_writable_by(request.user, appointment))
    if form.is_valid():
        notes.appointment_note_add(
            appointment=appointment,
            author=request.user,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(request, "Note added.")
    elif "kind" in form.errors:
        messages.error(
            request, "Only the treating practitioner may write a clinical note; nothing was saved."
        )
    else:
        messages.error(request, "The note was empty.")
    return _back(appointment)


def _local(date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=timezone.get_default_timezone()).astimezone(
        dt.UTC
    )


def reschedule(request, pk):
    appointment = _appointment(request, pk, "booking.change_appointment")
    form = StaffTimeForm(
        request.POST or None,
        initial={
            "date": appointment.local_starts_at.date(),
            "time": appointment.local_starts_at.time(),
        },
        scopes=list(SCOPE_LABELS.items()) if appointment.course_id else None,
    )
    if request.method == "POST" and form.is_valid():
        start = _local(form.cleaned_data["date"], form.cleaned_data["time"])
        scope = Scope(form.cleaned_data.get("scope") or Scope.THIS)
        move = _move_one if scope is Scope.THIS else partial(_move_course, scope=scope)
        if done := move(request, form, appointment, start):
            return done
    return render(
        request,
        "booking/staff/reschedule.html",
        {
            "form": form,
            "appointment": appointment,
            "zone_name": zone_label(),
            "has_scope": "scope" in form.fields,
        },
    )


def _move_one(request, form, appointment, start):
    """The appointment alone to ``start``: the redirect when done, else None (the form
    says why)."""
    try:
        services.appointment_reschedule(
            appointment=appointment,
            start=start,
            by_staff=True,
            over_busy=form.cleaned_data["over_busy"],
        )
    except services.BusyInOwnCalendar as busy:
        form.offer_over_busy(str(busy))
    except services.SlotTaken as taken:
        form.add_error(None, _taken_message(taken))
    except services.BookingError as refused:
        form.add_error(None, str(refused))
    else:
        messages.success(request, f"Moved; {patient_told(appointment)}")
        return _back(appointment)
    return None


def _move_course(request, form, appointment, start, *, scope):
    """Staff move several sessions of a course: all of them or, if any cannot move, none,
    the form then naming each that cannot and why. The redirect when done, else None."""
    try:
        outcome = course_move(appointment=appointment, scope=scope, start=start, by_staff=True)
    except services.BookingError as refused:
        form.add_error(None, str(refused))
        return None
    if outcome.held_back:
        why = "; ".join(
            f"{moment(row.session.starts_at, 'D M j')} ({row.move.state.value})"
            for row in outcome.refused
        )
        form.add_error(None, f"Nothing moved: these sessions cannot move to that time: {why}.")
        return None
    messages.success(request, f"{move_summary(outcome)} {patient_told(appointment)}")
    return _back(appointment)


def _taken_message(taken: services.SlotTaken, *, listed: bool = False) -> str:
    """Why the time was refused, and the nearest free times in words unless ``listed``
    (shown as buttons to choose instead)."""
    nearby = ", ".join(moment(slot.start, "D M j") for slot in taken.alternatives[:6])
    message = (
        "That time is not free (it overlaps another appointment, time off or is outside the hours)."
    )
    if listed and taken.alternatives:
        return f"{message} Choose one of the nearest free times below."
    return f"{message} Nearest free times: {nearby}." if nearby else message


def _booked_message(appointment: Appointment) -> str:
    if not appointment.patient.has_email:
        return (
            "Booked. No email: this patient gets no confirmation, reminder or manage link; "
            "tell them the time by phone."
        )
    return (
        "Booked; the patient gets a confirmation email with a link to the health "
        'questions (the appointment reads "not screened yet" until they answer).'
    )


def _phone_booking_form(request, picked, finder: dict, *, may_override: bool):
    """The phone booking's form: as posted, or filled in from the query string and the free
    times listed."""
    if picked:
        # A nearest free time chosen after a clash: the form again, that time in it.
        return StaffBookingForm(initial=picked.dict(), may_override=may_override)
    return StaffBookingForm(
        request.POST or None,
        initial=phone_booking.form_initial(request.GET, finder),
        may_override=may_override,
    )


def book_for_patient(request):
    """A phone booking: same service and rules, minimum notice waived, overlaps never.

    Front desk books; so may a practitioner, who alone may override a screening rule.
    The free times of the service, practitioner and day in the query string are listed
    (``phone_booking``); one of them, or a time from the agenda, fills in the form."""
    if not access.may_book_by_phone(request.user):
        raise PermissionDenied
    may_override = access.may_override_rules(request.user)
    nearest = []
    picked = request.method == "POST" and phone_booking.picked_data(request.POST)
    finder = phone_booking.finder_context(picked or request.POST or request.GET, now=timezone.now())
    form = _phone_booking_form(request, picked, finder, may_override=may_override)
    if request.method == "POST" and not picked and form.is_valid():
        appointment, nearest = _phone_book(request, form, may_override=may_override)
        if appointment:
            messages.success(request, _booked_message(appointment))
            return redirect(reverse("booking_appointment:inspect", args=[appointment.pk]))
    return render(
        request,
        "booking/staff/book_for_patient.html",
        {
            "form": form,
            "nearest": nearest,
            "zone_name": zone_label(),
            "script": seek_care.TIERS,
            **finder,
        },
    )


def _phone_book(request, form, *, may_override: bool):
    """The appointment booked from the valid ``form``, or None with the form's errors set
    and the nearest free times when the time was not free."""
    data = form.cleaned_data
    reason = data.get("override_reason", "").strip()
    try:
        appointment = services.appointment_book(
            service=data["service"],
            practitioner=data["practitioner"],
            start=_local(data["date"], data["time"]),
            details=services.PatientDetails(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
            ),
            answers=None,
            by_staff=True,
            now=timezone.now(),
            override=services.RuleOverride(
                user=request.user,
                reason=reason,
                warning="" if data["red_flags"] == "none" else data["red_flags"],
            )
            if may_override and reason
            else None,
            over_busy=data["over_busy"],
        )
    except services.BusyInOwnCalendar as busy:
        form.offer_over_busy(str(busy))
        return None, []
    except services.SlotTaken as taken:
        form.add_error(None, _taken_message(taken, listed=True))
        return None, phone_booking.nearest_list(taken.alternatives[:6])
    except services.BookingError as refused:
        form.add_error(None, str(refused))
        return None, []
    return appointment, []
