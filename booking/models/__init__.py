"""The booking domain's tables: the catalogue, the schedule and the appointments."""

from .appointments import Appointment, AppointmentNote, AppointmentStatus, Intake, Patient
from .catalogue import Service, ServiceQuerySet
from .schedule import BookingPolicy, Practitioner, TimeOff, WorkingHours

__all__ = [
    "Appointment",
    "AppointmentNote",
    "AppointmentStatus",
    "BookingPolicy",
    "Intake",
    "Patient",
    "Practitioner",
    "Service",
    "ServiceQuerySet",
    "TimeOff",
    "WorkingHours",
]
