"""The agenda admin view: a day or a week on the grid, for one practitioner or everyone."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from booking import access
from practice.local_time import zone_label

from ...views.picker import encode_slot_choice
from ...waitlist import selectors as waitlist_selectors
from .queries import agenda_load

PERMISSION = "booking.view_appointment"
EVERYONE = "all"  # ?practitioner=all: everyone, even for a practitioner who opens on their own


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date_or(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


class AgendaView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "booking/staff/agenda.html"
    page_title = "Agenda"
    header_icon = "calendar"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.zone = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = self.now.astimezone(self.zone).date()
        params = request.GET
        self.mode = "day" if params.get("view") == "day" else "week"
        self.date = _date_or(params.get("date"), self.today)
        self.practitioner_id = self._practitioner_asked(params.get("practitioner"))
        if self.mode == "day":
            self.days = [self.date]
        else:
            monday = self.date - dt.timedelta(days=self.date.weekday())
            self.days = [monday + dt.timedelta(days=n) for n in range(7)]

    def _practitioner_asked(self, value: str | None) -> int | None:
        """The practitioner in ``?practitioner=``; without one, a practitioner's own."""
        if value is None:
            own = access.practitioner_of(self.request.user)
            return own.pk if own else None
        return None if value == EVERYONE else _int_or_none(value)

    def get_page_subtitle(self):
        if self.mode == "day":
            return f"{self.date:%A} {self.date.day} {self.date:%B %Y}"
        first = self.days[0]
        return f"Week of {first:%A} {first.day} {first:%B %Y}"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Agenda"}]

    def url_for(self, **changes) -> str:
        params = {
            "view": self.mode,
            "date": self.date.isoformat(),
            "practitioner": self.practitioner_id or EVERYONE,
        }
        params.update(changes)
        params = {k: v for k, v in params.items() if v not in ("", None)}
        return f"{reverse('booking_staff:agenda')}?{urlencode(params)}"

    def get_context_data(self, **kwargs):
        data = agenda_load(
            days=self.days,
            practitioner_id=self.practitioner_id,
            zone=self.zone,
            today=self.today,
            openable=access.practitioners_openable_by(self.request.user),
            now=self.now,
        )
        step = dt.timedelta(days=1 if self.mode == "day" else 7)
        selected = self.practitioner_id if len(data.shown) == 1 else None
        for day in data.grid.days:
            day.url = self.url_for(view="day", date=day.date.isoformat())
        if access.may_book_by_phone(self.request.user):
            waiting_on_free_time(data.grid, self.zone, self.now)
        return super().get_context_data(
            grid=data.grid,
            mode=self.mode,
            date=self.date,
            today=self.today,
            days=self.days,
            zone_name=zone_label(),
            practitioners=data.practitioners,
            selected_practitioner=selected,
            previous_url=self.url_for(date=(self.date - step).isoformat()),
            next_url=self.url_for(date=(self.date + step).isoformat()),
            today_url=self.url_for(date=self.today.isoformat()),
            day_url=self.url_for(view="day"),
            week_url=self.url_for(view="week"),
            everyone_url=self.url_for(practitioner=EVERYONE),
            # Free time is a link to book it, for those who may book by phone.
            book_url=reverse("booking_staff:book_for_patient")
            if access.may_book_by_phone(self.request.user)
            else None,
            practitioner_links=[(p, self.url_for(practitioner=p.id)) for p in data.practitioners],
            step_label="day" if self.mode == "day" else "week",
            **kwargs,
        )


def waiting_on_free_time(grid, zone, now) -> None:
    """Each free block's number of waiting-list entries it suits, with the link to them
    (one query more, for staff who may book)."""
    found = [
        (column, block) for day in grid.days for column in day.columns for block in column.free
    ]
    gaps = [
        (
            column.practitioner.id,
            local_minute(column.day, block.start, zone),
            local_minute(column.day, block.end, zone),
        )
        for column, block in found
    ]
    if not gaps:
        return
    counts = waitlist_selectors.waiting_counts(gaps=gaps, now=now)
    for (column, block), (practitioner_id, start, _), count in zip(
        found, gaps, counts, strict=True
    ):
        if count:
            query = urlencode({"matching": encode_slot_choice(start, practitioner_id)})
            column.waiting[block.start] = (count, f"{reverse('booking_waitlist:index')}?{query}")


def local_minute(day: dt.date, minute: int, zone) -> dt.datetime:
    """The aware moment ``minute`` minutes after local midnight of ``day``."""
    midnight = dt.datetime.combine(day, dt.time.min)
    return (midnight + dt.timedelta(minutes=minute)).replace(tzinfo=zone)


_agenda_view = AgendaView.as_view()


def agenda(request):
    """The agenda, for staff who may see appointments."""
    if not request.user.has_perm(PERMISSION):
        return permission_denied(request)
    return _agenda_view(request)


# Included by booking/staff/urls.py, in the booking_staff namespace.
urlpatterns = [path("bookings/agenda/", agenda, name="agenda")]
