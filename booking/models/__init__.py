"""The booking domain's tables: the catalogue, the schedule and the appointments."""

from .appointments import Appointment, AppointmentNote, AppointmentStatus, Intake, Patient
from .calendars import BusyTime, CalendarSource, CalendarSourceKind
from .catalogue import Service, ServiceQuerySet
from .courses import Course
from .schedule import BookingPolicy, Practitioner, TimeOff, WorkingHours

__all__ = [
    "Appointment",
    "AppointmentNote",
    "AppointmentStatus",
    "BookingPolicy",
    "BusyTime",
    "CalendarSource",
    "CalendarSourceKind",
    "Course",
    "Intake",
    "Patient",
    "Practitioner",
    "Service",
    "ServiceQuerySet",
    "TimeOff",
    "WorkingHours",
]
