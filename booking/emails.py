"""The emails the booking system sends. No health information: time, place, service, a link."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from practice.local_time import zone_label
from practice.models import PracticeSettings

from .ics import appointment_ics
from .manage_links import manage_link_create
from .models import Appointment
from .selectors import booking_policy_get

SUBJECTS = {
    "confirmed": "Your appointment is confirmed",
    "moved": "Your appointment has moved",
    "cancelled": "Your appointment is cancelled",
    "reminder": "Reminder: your appointment",
}
PRACTITIONER_SUBJECTS = {
    "confirmed": "New booking",
    "moved": "Booking moved",
    "cancelled": "Booking cancelled",
}


def _practice() -> PracticeSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return PracticeSettings.for_site(site) if site else PracticeSettings()


def manage_url(appointment: Appointment, token: str | None = None) -> str:
    """The appointment's manage link, with a new secret unless ``token`` is given. Called
    as the email is built, so the secret exists only in that email and as a hash."""
    token = token or manage_link_create(appointment=appointment)
    return settings.SITE_URL + reverse("booking:manage", args=[token])


def _context(appointment: Appointment, kind: str, practice) -> dict:
    tz = timezone.get_default_timezone()
    policy = booking_policy_get()
    window = policy.cancellation_window
    token = manage_link_create(appointment=appointment)
    return {
        "change_until": timezone.localtime(appointment.starts_at - window, tz),
        # Never a deadline in the past: a reminder, or a booking made inside the window.
        "changes_open": appointment.starts_at - window > timezone.now(),
        "appointment": appointment,
        "kind": kind,
        "practice": practice,
        "starts_local": timezone.localtime(appointment.starts_at, tz),
        "ends_local": timezone.localtime(appointment.ends_at, tz),
        "zone_name": zone_label(),
        "manage_url": manage_url(appointment, token),
        "questions_url": None
        if appointment.screened
        else settings.SITE_URL + reverse("booking:answer_for_booked", args=[token]),
        # The reminder asks the PEG's three questions (never with a score or an answer).
        "progress_url": settings.SITE_URL + reverse("booking:progress", args=[token])
        if kind == "reminder" and policy.ask_peg
        else None,
        "site_url": settings.SITE_URL,
        "my_url": settings.SITE_URL + reverse("my:home"),
    }


def _message(subject, template, context, to, practice) -> EmailMultiAlternatives:
    text = render_to_string(f"booking/email/{template}.txt", context)
    html = render_to_string(f"booking/email/{template}.html", context)
    reply_to = [practice.email] if practice.email else None
    message = EmailMultiAlternatives(
        subject=f"{practice.name}: {subject}",
        body=text,
        to=to,
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message


def patient_email(appointment: Appointment, kind: str, *, now: dt.datetime | None = None):
    """The patient's email for ``kind``, with a calendar file (except for reminders). Never
    for a patient with no address (the tasks check first)."""
    if not appointment.patient.has_email:
        raise ValueError(f"Appointment {appointment.pk}: the patient has no email address")
    practice = _practice()
    context = _context(appointment, kind, practice)
    message = _message(SUBJECTS[kind], "patient", context, [appointment.patient.email], practice)
    if kind != "reminder":
        ics = patient_calendar_file(appointment, practice=practice, now=now)
        method = "CANCEL" if kind == "cancelled" else "REQUEST"
        message.attach("appointment.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    return message


COURSE_SUBJECTS = {
    "moved": "Your sessions have moved",
    "cancelled": "Your sessions are cancelled",
}


def course_email(appointments: list[Appointment], kind: str, *, now: dt.datetime | None = None):
    """One email to the patient for sessions of a course moved or cancelled at once (``kind``
    "moved" or "cancelled"): each session's time, with its own link when it still stands,
    and each session's own calendar file (its own UID, its raised sequence)."""
    first = appointments[0]
    if not first.patient.has_email:
        raise ValueError(f"Appointment {first.pk}: the patient has no email address")
    practice = _practice()
    context = {
        **_context(first, kind, practice),
        "sessions": [_context(a, kind, practice) for a in appointments],
        "book_url": settings.SITE_URL + reverse("booking:start"),
    }
    message = _message(
        COURSE_SUBJECTS[kind], f"course_{kind}", context, [first.patient.email], practice
    )
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    for number, appointment in enumerate(appointments, start=1):
        ics = patient_calendar_file(appointment, practice=practice, now=now)
        message.attach(
            f"session-{number}.ics", ics, f"text/calendar; charset=utf-8; method={method}"
        )
    return message


def patient_calendar_file(appointment: Appointment, *, practice=None, now=None) -> bytes:
    """The patient's calendar file for the appointment as it stands (booked, or cancelled)."""
    return appointment_ics(
        appointment,
        practice=practice or _practice(),
        site_host=urlsplit(settings.SITE_URL).hostname or "localhost",
        now=now or timezone.now(),
    )


def practitioner_email(appointment: Appointment, kind: str):
    """A notice to the practitioner: when, what, who (by name) and where to see more."""
    recipient = appointment.practitioner.user.email if appointment.practitioner.user_id else ""
    practice = _practice()
    if not (recipient or practice.email):
        return None
    context = _context(appointment, kind, practice)
    context["admin_url"] = settings.SITE_URL + "/admin/"
    return _message(
        PRACTITIONER_SUBJECTS[kind],
        "practitioner",
        context,
        [recipient or practice.email],
        practice,
    )


PRACTITIONER_COURSE_SUBJECTS = {
    "confirmed": "New course booked",
    "moved": "Course sessions moved",
    "cancelled": "Course sessions cancelled",
}


def practitioner_course_email(appointments: list[Appointment], kind: str):
    """One notice to the practitioner for sessions of a course booked, moved or cancelled
    together, listing each (the patient gets one email too)."""
    first = appointments[0]
    recipient = first.practitioner.user.email if first.practitioner.user_id else ""
    practice = _practice()
    if not (recipient or practice.email):
        return None
    context = {
        **_context(first, kind, practice),
        "sessions": [_context(a, kind, practice) for a in appointments],
        "admin_url": settings.SITE_URL + "/admin/",
    }
    return _message(
        PRACTITIONER_COURSE_SUBJECTS[kind],
        "practitioner_course",
        context,
        [recipient or practice.email],
        practice,
    )


def calendar_failing_email(source) -> EmailMultiAlternatives | None:
    """Tells the practitioner that their own calendar has not been read for a while, so
    patients may be offered times it holds. Names the source by its label and server,
    never its address or password."""
    practitioner = source.practitioner
    recipient = practitioner.user.email if practitioner.user_id else ""
    practice = _practice()
    if not (recipient or practice.email):
        return None
    context = {
        "source": source,
        "practitioner": practitioner,
        "practice": practice,
        "last_synced": timezone.localtime(source.last_synced_at, timezone.get_default_timezone())
        if source.last_synced_at
        else None,
        "zone_name": zone_label(),
        "page_url": settings.SITE_URL
        + reverse("booking_practitioner:inspect", args=[practitioner.pk]),
    }
    return EmailMultiAlternatives(
        subject=f"{practice.name}: your calendar could not be read",
        body=render_to_string("booking/email/calendar_failing.txt", context),
        to=[recipient or practice.email],
        reply_to=[practice.email] if practice.email else None,
    )


BURSTS = {
    "cap": "someone tried to book more upcoming appointments online than one person may hold",
    "booking": "one connection sent more bookings than the hourly limit allows",
}


def burst_email(kind: str) -> EmailMultiAlternatives | None:
    """To the practice: online bookings were refused in the last hour, and why. Nothing in
    it names who (the limits count hashed addresses only)."""
    practice = _practice()
    if not practice.email:
        return None
    said = BURSTS.get(kind, "online bookings were refused by a limit")
    body = (
        f"In the last hour {said}, and the booking system refused them. Nothing was booked "
        "by the refused attempts.\n\nIf this repeats, check the agenda for bookings you do "
        "not recognise (Wagtail admin, Bookings), and tell whoever looks after the site.\n"
        f"\n{settings.SITE_URL}/admin/\n"
    )
    return EmailMultiAlternatives(
        subject=f"{practice.name}: online bookings refused",
        body=body,
        to=[practice.email],
    )


def screening_stopped_email(appointment: Appointment) -> EmailMultiAlternatives | None:
    """Tells the practice that a patient booked by phone met a stop in the health questions
    they answered through their link: who, when, and to call them. Never which sign, nor
    any answer (none was kept)."""
    practice = _practice()
    practitioner = appointment.practitioner
    recipient = practice.email or (practitioner.user.email if practitioner.user_id else "")
    if not recipient:
        return None
    tz = timezone.get_default_timezone()
    context = {
        "appointment": appointment,
        "practice": practice,
        "starts_local": timezone.localtime(appointment.starts_at, tz),
        "zone_name": zone_label(),
        "page_url": settings.SITE_URL
        + reverse("booking_appointment:inspect", args=[appointment.pk]),
    }
    return EmailMultiAlternatives(
        subject=f"{practice.name}: call a patient before their visit",
        body=render_to_string("booking/email/screening_stopped.txt", context),
        to=[recipient],
        reply_to=[practice.email] if practice.email else None,
    )
