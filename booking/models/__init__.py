"""The booking domain's tables: the catalogue, the schedule and the appointments."""

from .appointments import (
    Appointment,
    AppointmentNote,
    AppointmentStatus,
    Intake,
    NoteKind,
    Patient,
)
from .calendars import BusyTime, CalendarSource, CalendarSourceKind
from .catalogue import Service, ServiceQuerySet
from .courses import Course
from .manage_links import ManageLink
from .progress import PegReport
from .schedule import BookingPolicy, Practitioner, TimeOff, WorkingHours
from .sign_in import SignInLink
from .waitlist import OfferOutcome, PartOfDay, WaitlistEntry, WaitlistOffer, WaitlistStatus

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
    "ManageLink",
    "NoteKind",
    "OfferOutcome",
    "PartOfDay",
    "Patient",
    "PegReport",
    "Practitioner",
    "Service",
    "ServiceQuerySet",
    "SignInLink",
    "TimeOff",
    "WaitlistEntry",
    "WaitlistOffer",
    "WaitlistStatus",
    "WorkingHours",
]
