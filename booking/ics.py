"""Calendar files (iCalendar, RFC 5545) for appointments: no health information in them."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Appointment, AppointmentStatus
from .uids import PRODID, appointment_uid

SUMMARY = "Acupuncture appointment"


def appointment_ics(
    appointment: Appointment, *, practice, site_host: str, now: dt.datetime
) -> bytes:
    """A calendar file for the patient: REQUEST for a new or changed time, CANCEL otherwise.

    The UID stays the same for the life of the appointment; SEQUENCE rises with each
    change, so calendar programs update the event they already have.
    """
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", appointment_uid(appointment.public_id, site_host))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
    event.add("sequence", appointment.sequence)
    event.add("summary", SUMMARY)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = ", ".join([practice.name, *practice.address_lines])
    event.add("location", location)
    event.add(
        "description",
        f"{appointment.service.name} with {appointment.practitioner.name}. "
        f"To change or cancel, use the link in your email"
        + (f" or call {practice.phone}." if practice.phone else "."),
    )
    # RFC 5546 wants both on a REQUEST or CANCEL, or some calendar programs ignore a move
    # or a cancellation. The organiser is the practice (its address, else the one the emails
    # come from); the one attendee is the patient, by the address the file is sent to, with
    # no name: the file says nothing about the person beyond what its recipient knows.
    organizer = vCalAddress(f"mailto:{practice.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(practice.name)
    event.add("organizer", organizer)
    if appointment.patient.has_email:  # a caller booked by phone may have none
        attendee = vCalAddress(f"mailto:{appointment.patient.email}")
        attendee.params.update({"cutype": "INDIVIDUAL", "role": "REQ-PARTICIPANT", "rsvp": "FALSE"})
        if not cancelled:
            attendee.params["partstat"] = "ACCEPTED"  # they chose this time themselves
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
