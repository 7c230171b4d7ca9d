"""What the practice offers: services, practitioners and the booking policy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Page

from .. import slots
from ..models import (
    Appointment,
    AppointmentStatus,
    BookingPolicy,
    Practitioner,
    Service,
)


def service_list_public(
    *, allow_electrical: bool = True, new_patient: bool = False
) -> QuerySet[Service]:
    """Active services in the order the practice lists them; for a ``new_patient``, only
    those open to new patients."""
    services = Service.objects.active().order_by("sort_order", "name")
    if not allow_electrical:
        services = services.filter(uses_electrical_stimulation=False)
    if new_patient:
        services = services.open_to_new_patients()
    return services


def catalogue_closed_to_new_patients() -> bool:
    """Whether any active service or practitioner is for returning patients only."""
    return (
        Service.objects.active().filter(open_to_new_patients=False).exists()
        or Practitioner.objects.filter(is_active=True, takes_new_patients=False).exists()
    )


def service_get_active(*, pk: int) -> Service | None:
    return Service.objects.active().filter(pk=pk).first()


def practitioner_list_active(*, new_patient: bool = False) -> QuerySet[Practitioner]:
    """Active practitioners; for a ``new_patient``, only those who see new patients."""
    practitioners = Practitioner.objects.filter(is_active=True).select_related("profile")
    return practitioners.filter(takes_new_patients=True) if new_patient else practitioners


def practitioner_get(*, pk: int) -> Practitioner | None:
    return Practitioner.objects.select_related("profile").filter(pk=pk).first()


def source_page_is_live(*, pk: int) -> bool:
    """Whether a booking may name this page as where it came from."""
    return Page.objects.live().filter(pk=pk).exists()


def practitioner_list_for_service(
    *, service: Service, new_patient: bool = False
) -> list[Practitioner]:
    """The active practitioners who give ``service``; for a ``new_patient``, only those who
    see new patients."""
    practitioners = service.practitioners.filter(is_active=True)
    if new_patient:
        practitioners = practitioners.filter(takes_new_patients=True)
    return list(practitioners.select_related("profile").order_by("pk"))


def booking_policy_get() -> BookingPolicy:
    return BookingPolicy.load()


def appointment_patient_can_change(
    appointment: Appointment, *, now: dt.datetime, policy: BookingPolicy | None = None
) -> bool:
    """Whether the patient may still cancel or move online (the cancellation window).
    ``policy``: the booking policy when the caller has read it already."""
    window = (policy or booking_policy_get()).cancellation_window
    return (
        appointment.status == AppointmentStatus.CONFIRMED and appointment.starts_at - now >= window
    )


def catalogue_get() -> dict[str, dict]:
    """The active services and practitioners (with their profiles) by primary key: what the
    slot page names."""
    return {
        "services": {s.pk: s for s in Service.objects.active()},
        "practitioners": {p.pk: p for p in practitioner_list_active()},
    }


def appointment_can_start_course(appointment: Appointment, *, now: dt.datetime) -> bool:
    """Whether more sessions may be booked from this appointment: while it stands, and
    after the visit (kept, or not marked yet) for ``COURSE_REQUEST_DAYS_AFTER`` days."""
    if appointment.status not in (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED):
        return False
    if appointment.ends_at >= now:
        return appointment.status == AppointmentStatus.CONFIRMED
    return appointment.ends_at + dt.timedelta(days=settings.COURSE_REQUEST_DAYS_AFTER) >= now


def slot_policy_build(policy: BookingPolicy, *, ignore_notice: bool = False) -> slots.Policy:
    """The slot rules of the stored ``policy``, held to its bounds whatever is stored."""
    return slots.Policy(
        step=policy.step,
        buffer=policy.buffer,
        min_notice=dt.timedelta(0) if ignore_notice else policy.notice,
        max_days_ahead=policy.horizon_days,
    )
