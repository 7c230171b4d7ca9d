"""Each practitioner's private calendar feed: upcoming appointments, initials only."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from .. import access, ratelimit, selectors, services
from ..models import Practitioner
from ..uids import FEED_PRODID, appointment_uid


def feed_ics(practitioner: Practitioner, *, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", FEED_PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Appointments: {practitioner.name}")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for appointment in selectors.appointment_list_for_feed(practitioner=practitioner, now=now):
        event = Event()
        event.add("uid", appointment_uid(appointment.public_id, host))
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("sequence", appointment.sequence)
        event.add("summary", f"{appointment.service.name}: {appointment.patient.initials}")
        calendar.add_component(event)
    return calendar.to_ical()


def feed(request, token: str):
    """The feed itself: no login, the secret token in the address is the key."""
    practitioner = selectors.practitioner_get_by_calendar_token(token=token)
    if practitioner is None:
        if ratelimit.link_missed(request):  # the same guess limit as the patients' links
            return HttpResponse(
                "Too many wrong calendar addresses from this connection; try again in an hour.",
                content_type="text/plain; charset=utf-8",
                status=429,
            )
        raise Http404
    response = HttpResponse(
        feed_ics(practitioner, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def renew(request, pk):
    """A new secret address: the old one stops working at once."""
    practitioner = get_object_or_404(Practitioner, pk=pk)
    if not access.may_manage_calendars(request.user, practitioner):
        raise PermissionDenied
    services.practitioner_calendar_token_renew(practitioner=practitioner)
    messages.success(request, "A new calendar address was made; the old one no longer works.")
    return redirect("booking_practitioner:inspect", pk)
