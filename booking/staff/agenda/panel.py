"""The agenda's dashboard panel: today's appointments and the flagged ones coming up."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from booking import access

from .queries import FLAGGED_AHEAD_DAYS, home_panel_rows
from .views import PERMISSION


class AgendaPanel(Component):
    """Today's appointments and the flagged ones coming up, on the admin home page."""

    name = "booking_agenda"
    template_name = "booking/staff/home_panel.html"
    order = 50

    def __init__(self, now: dt.datetime | None = None, *, openable: frozenset[int] | None = None):
        self.now = now
        self.openable = openable  # whose appointments the viewer may open (None: all)

    def get_context_data(self, parent_context=None):
        now = self.now or timezone.now()
        zone = timezone.get_default_timezone()
        today, flagged = home_panel_rows(now=now, zone=zone, openable=self.openable)
        try:
            agenda_url = reverse("booking_staff:agenda")
        except NoReverseMatch:
            agenda_url = None
        return {
            "today": today,
            "flagged": flagged,
            "today_date": now.astimezone(zone).date(),
            "flagged_days": FLAGGED_AHEAD_DAYS,
            "agenda_url": agenda_url,
        }


def home_panel_hook(request, panels):
    """For ``hooks.register("construct_homepage_panels", home_panel_hook)``."""
    if request.user.has_perm(PERMISSION):
        panels.append(AgendaPanel(openable=access.practitioners_openable_by(request.user)))
