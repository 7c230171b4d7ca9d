"""Time off in the admin: always in the practice's own time, and the screen that follows
saving one over booked appointments (keep, cancel or move each, in one go)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from practice.local_time import moment

from .. import access, selectors
from ..contracts import BookingError
from ..models import TimeOff
from ..time_off import Settlement, time_off_settle
from .forms import CoveredAppointmentsForm


def local_time_display(value) -> str:
    """A moment as the practice's clock reads it, with the zone: "Mon Jan 18, 2027, 8:00 AM
    (America/New_York)"."""
    return f"{moment(value)} ({timezone.get_default_timezone().key})"


class PracticeTimeMixin:
    """Shows and reads times in the practice's zone, whatever zone the staff member chose
    in their Wagtail profile: time off is entered as the practice's clock reads it.

    Wagtail renders the response later, in the user's zone; rendering it here keeps the
    practice's."""

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(timezone.get_default_timezone()):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


class CoveredAppointmentsMixin:
    """For the create and edit views: after saving time off over booked appointments, staff
    go to the screen that lists them rather than back to the list."""

    @cached_property
    def covered_count(self) -> int:
        return len(selectors.appointment_list_covered_by(time_off=self.object))

    def get_success_url(self):
        if self.covered_count:
            return reverse_covered(self.object)
        return super().get_success_url()

    def get_success_message(self, *args):
        message = super().get_success_message(*args)
        if self.covered_count:
            count = self.covered_count
            message = (
                f"{message} It covers {count} booked appointment{'s' if count > 1 else ''}: "
                "choose what happens to each."
            )
        return message


def reverse_covered(time_off: TimeOff) -> str:
    return reverse("booking_staff:time_off_appointments", args=[time_off.pk])


def _may_settle(user) -> bool:
    """Front desk and superusers: they see the whole schedule, change appointments and
    enter time off."""
    return (
        access.sees_whole_schedule(user)
        and user.has_perm("booking.change_appointment")
        and (user.has_perm("booking.add_timeoff") or user.has_perm("booking.change_timeoff"))
    )


def _summary(settlement: Settlement) -> str:
    parts = [
        f"{len(ids)} {label}"
        for ids, label in (
            (settlement.moved, "moved"),
            (settlement.cancelled, "cancelled"),
            (settlement.kept, "kept"),
        )
        if ids
    ]
    told = "Patients with an email are told by email."
    if settlement.to_phone:
        told += f" {len(settlement.to_phone)} patient(s) have no email: phone them."
    return f"Done: {', '.join(parts)}. {told}" if parts else "Nothing to change."


def covered_appointments(request, pk):
    """The confirmed appointments a time off covers, each to keep, cancel or move."""
    if not _may_settle(request.user):
        raise PermissionDenied
    time_off = get_object_or_404(TimeOff.objects.select_related("practitioner__profile"), pk=pk)
    with timezone.override(timezone.get_default_timezone()):
        now = timezone.now()
        appointments = selectors.appointment_list_covered_by(time_off=time_off)
        form = CoveredAppointmentsForm(
            request.POST if request.method == "POST" else None,
            appointments=appointments,
            offers=selectors.slot_list_for_moves(appointments=appointments, now=now),
        )
        if request.method == "POST" and form.is_valid():
            try:
                settlement = time_off_settle(
                    time_off=time_off, decisions=form.decisions(), by=request.user, now=now
                )
            except BookingError as refused:
                form.add_error(None, f"Nothing was changed. {refused}")
            else:
                messages.success(request, _summary(settlement))
                return redirect("booking_timeoff:index")
        return render(
            request,
            "booking/staff/time_off_appointments.html",
            {
                "time_off": time_off,
                "form": form,
                "rows": form.rows(),
                "zone_name": timezone.get_default_timezone().key,
            },
        )
