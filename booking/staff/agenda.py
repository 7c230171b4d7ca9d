"""The staff agenda: a day or a week of appointments on a time grid, and a dashboard panel.

Three layers, from the bottom up:

* the grid arithmetic (``grid_bounds``, ``local_span``, ``build_column``, ``build_grid``)
  takes plain data (dates, times, the dataclasses below) and never touches the database;
* ``agenda_load`` and ``home_panel_rows`` read what they show in a fixed number of queries;
* the admin view ``agenda`` (``urlpatterns``) and the dashboard panel ``AgendaPanel``
  (added by ``home_panel_hook``).

Times on the grid are local wall-clock times in the practice's zone: an appointment at
09:00 sits on the 09:00 row on every day, the days the clocks change included.
Only what the front desk needs is shown: no intake answers, no flag details.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from booking.models import Appointment, AppointmentStatus, Practitioner, TimeOff, WorkingHours
from booking.selectors import practice_zone

PERMISSION = "booking.view_appointment"
DAY_MINUTES = 24 * 60
FALLBACK_START = 8 * 60
FALLBACK_END = 19 * 60
FLAGGED_AHEAD_DAYS = 14
EN_DASH = "\N{EN DASH}"


# --- Plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A practitioner as the grid needs them."""

    id: int
    name: str


@dataclass(frozen=True)
class Away:
    """Time off: one practitioner's, or the whole clinic's when ``practitioner_id`` is None."""

    practitioner_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = ""


@dataclass(frozen=True)
class Visit:
    """An appointment as staff see it on the grid: no health information."""

    id: int
    practitioner_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    service: str
    patient: str
    first_visit: bool = False
    flagged: bool = False
    status_label: str = ""  # empty for confirmed appointments
    url: str | None = None


def clock(minutes: int) -> str:
    """Minutes since local midnight as "HH:MM" (1440 is "24:00")."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


@dataclass(frozen=True)
class Block:
    """Something drawn in a column, ``top`` and ``height`` in minutes from the grid start.

    ``kind`` is "working", "break", "time_off" or "appointment". ``start`` and ``end`` are
    wall-clock minutes since local midnight of the part of the thing on this day.
    """

    kind: str
    top: int
    height: int
    start: int
    end: int
    label: str = ""
    detail: str = ""
    visit: Visit | None = None

    @property
    def time_range(self) -> str:
        if self.start == 0 and self.end == DAY_MINUTES:
            return "All day"
        return f"{clock(self.start)}{EN_DASH}{clock(self.end)}"


@dataclass
class Column:
    """One practitioner on one day."""

    day: dt.date
    practitioner: Person
    hours: list[tuple[int, int]]
    background: list[Block] = field(default_factory=list)
    time_off: list[Block] = field(default_factory=list)
    appointments: list[Block] = field(default_factory=list)

    @property
    def is_working(self) -> bool:
        return bool(self.hours)

    @property
    def hours_text(self) -> str:
        return ", ".join(f"{clock(lo)}{EN_DASH}{clock(hi)}" for lo, hi in self.hours)

    @property
    def is_empty(self) -> bool:
        """Nothing worth a full-width column: no hours, no time off, no appointments."""
        return not (self.hours or self.time_off or self.appointments)


@dataclass
class Day:
    date: dt.date
    columns: list[Column]
    is_today: bool = False
    url: str = ""  # the day view of this day, set by the view


@dataclass
class Grid:
    """Everything the agenda template draws. Minutes are counted from ``start``."""

    start: int
    end: int
    days: list[Day]

    @property
    def height(self) -> int:
        return self.end - self.start

    @property
    def hour_marks(self) -> list[tuple[str, int]]:
        """("09:00", minutes from the top) for every whole hour on the grid."""
        first = -(-self.start // 60) * 60
        return [(clock(m), m - self.start) for m in range(first, self.end, 60)]

    @property
    def appointment_count(self) -> int:
        return sum(len(c.appointments) for d in self.days for c in d.columns)


# --- Grid arithmetic (no database) ------------------------------------------------------


def grid_bounds(
    working: Iterable[tuple[int, int]], also: Iterable[tuple[int, int]] = ()
) -> tuple[int, int]:
    """The grid's first and last minute: from the earliest working start to the latest
    working end, whole hours, 08:00 to 19:00 when nobody works. ``also`` (appointments)
    widens it so nothing booked outside the hours is hidden."""
    spans = list(working)
    if spans:
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    else:
        lo, hi = FALLBACK_START, FALLBACK_END
    for s, e in also:
        lo, hi = min(lo, s), max(hi, e)
    lo = lo // 60 * 60
    hi = min(-(-hi // 60) * 60, DAY_MINUTES)
    return lo, hi


def local_span(
    starts_at: dt.datetime, ends_at: dt.datetime, day: dt.date, zone: ZoneInfo
) -> tuple[int, int] | None:
    """The part of [starts_at, ends_at) on the local ``day``, as wall-clock minutes since
    midnight (0 to 1440), or None when it does not touch that day."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() > day or end.date() < day:
        return None
    lo = minutes_of(start.time()) if start.date() == day else 0
    hi = minutes_of(end.time()) if end.date() == day else DAY_MINUTES
    return (lo, hi) if hi > lo else None


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _clip(lo: int, hi: int, grid: tuple[int, int]) -> tuple[int, int] | None:
    lo, hi = max(lo, grid[0]), min(hi, grid[1])
    return (lo, hi) if hi > lo else None


def background_blocks(hours: Sequence[tuple[int, int]], grid: tuple[int, int]) -> list[Block]:
    """Tiles the whole column: working time, and breaks between and around it."""
    start, end = grid
    spans = [s for s in (_clip(lo, hi, grid) for lo, hi in merge_spans(hours)) if s]
    if not spans:
        return [Block("break", 0, end - start, start, end, label="Not working")]
    blocks: list[Block] = []
    cursor = start
    for lo, hi in spans:
        if lo > cursor:
            label = "Break" if blocks else "Outside hours"
            blocks.append(Block("break", cursor - start, lo - cursor, cursor, lo, label=label))
        blocks.append(Block("working", lo - start, hi - lo, lo, hi, label="Working"))
        cursor = hi
    if cursor < end:
        blocks.append(
            Block("break", cursor - start, end - cursor, cursor, end, label="Outside hours")
        )
    return blocks


def build_column(
    *,
    day: dt.date,
    practitioner: Person,
    hours: Sequence[tuple[dt.time, dt.time]],
    away: Iterable[Away],
    visits: Iterable[Visit],
    grid: tuple[int, int],
    zone: ZoneInfo,
) -> Column:
    """One practitioner's day. ``hours`` are that weekday's working ranges (local times);
    ``away`` and ``visits`` may hold anyone's: only this practitioner's (and clinic
    closures) that touch ``day`` are drawn."""
    start = grid[0]
    spans = merge_spans((minutes_of(a), minutes_of(b)) for a, b in hours)
    column = Column(day=day, practitioner=practitioner, hours=spans)
    column.background = background_blocks(spans, grid)

    def placed(kind, starts_at, ends_at, **text) -> Block | None:
        """The block for [starts_at, ends_at) on this day's grid, or None if it is not on it."""
        on_day = local_span(starts_at, ends_at, day, zone)
        shown = on_day and _clip(*on_day, grid)
        if not shown:
            return None
        return Block(kind, shown[0] - start, shown[1] - shown[0], *on_day, **text)

    for item in away:
        if item.practitioner_id not in (None, practitioner.id):
            continue
        label = "Clinic closed" if item.practitioner_id is None else "Time off"
        block = placed("time_off", item.starts_at, item.ends_at, label=label, detail=item.reason)
        if block:
            column.time_off.append(block)
    for visit in visits:
        if visit.practitioner_id != practitioner.id:
            continue
        block = placed(
            "appointment",
            visit.starts_at,
            visit.ends_at,
            label=visit.service,
            detail=visit.patient,
            visit=visit,
        )
        if block:
            column.appointments.append(block)
    column.time_off.sort(key=lambda b: b.top)
    column.appointments.sort(key=lambda b: b.top)
    return column


def build_grid(
    *,
    days: Sequence[dt.date],
    practitioners: Sequence[Person],
    hours: Mapping[int, Mapping[int, Sequence[tuple[dt.time, dt.time]]]],
    away: Sequence[Away],
    visits: Sequence[Visit],
    zone: ZoneInfo,
    today: dt.date | None = None,
) -> Grid:
    """The whole agenda: ``hours[practitioner_id][weekday]`` lists local working ranges."""

    def hours_on(person: Person, day: dt.date):
        return hours.get(person.id, {}).get(day.weekday(), ())

    working = [
        (minutes_of(a), minutes_of(b))
        for day in days
        for person in practitioners
        for a, b in hours_on(person, day)
    ]
    shown_ids = {p.id for p in practitioners}
    booked = [
        span
        for visit in visits
        if visit.practitioner_id in shown_ids
        for day in days
        if (span := local_span(visit.starts_at, visit.ends_at, day, zone))
    ]
    bounds = grid_bounds(working, booked)
    return Grid(
        start=bounds[0],
        end=bounds[1],
        days=[
            Day(
                date=day,
                is_today=day == today,
                columns=[
                    build_column(
                        day=day,
                        practitioner=person,
                        hours=hours_on(person, day),
                        away=away,
                        visits=visits,
                        grid=bounds,
                        zone=zone,
                    )
                    for person in practitioners
                ],
            )
            for day in days
        ],
    )


# --- Reading the database ---------------------------------------------------------------


def appointment_admin_url(pk: int) -> str | None:
    """The appointment's page in the admin, once its viewset is registered."""
    try:
        return reverse("booking_appointment:inspect", args=[pk])
    except NoReverseMatch:
        return None


def patient_short_name(first_name: str, last_name: str) -> str:
    """ "Ada L.": enough for staff to recognise, little to overhear."""
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


_VISIT_FIELDS = (
    "pk",
    "practitioner_id",
    "starts_at",
    "ends_at",
    "status",
    "flags",
    "is_first_visit",
    "service__name",
    "patient__first_name",
    "patient__last_name",
    "practitioner__profile__name",
)


def _visit(appointment: Appointment) -> Visit:
    status = appointment.status
    return Visit(
        id=appointment.pk,
        practitioner_id=appointment.practitioner_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        service=appointment.service.name,
        patient=patient_short_name(appointment.patient.first_name, appointment.patient.last_name),
        first_visit=appointment.is_first_visit,
        flagged=appointment.is_flagged,
        status_label=""
        if status == AppointmentStatus.CONFIRMED
        else appointment.get_status_display(),
        url=appointment_admin_url(appointment.pk),
    )


def _visible_appointments():
    """Non-cancelled appointments with only the columns staff see (no contact details)."""
    return (
        Appointment.objects.holding_time()
        .select_related("patient", "service", "practitioner__profile")
        .only(*_VISIT_FIELDS)
        .order_by("starts_at", "pk")
    )


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


@dataclass
class AgendaData:
    grid: Grid
    practitioners: list[Person]  # everyone who can be filtered on
    shown: list[Person]


def agenda_load(
    *,
    days: Sequence[dt.date],
    practitioner_id: int | None = None,
    zone: ZoneInfo | None = None,
    today: dt.date | None = None,
) -> AgendaData:
    """The grid for ``days`` (consecutive local dates), for one practitioner or everyone.

    Four queries, whatever the number of days, practitioners and appointments:
    practitioners, appointments, working hours, time off.
    """
    zone = zone or practice_zone()
    start, end = local_midnight(days[0], zone), local_midnight(days[-1] + dt.timedelta(1), zone)

    active = [
        Person(p.pk, p.name)
        for p in Practitioner.objects.filter(is_active=True).select_related("profile")
    ]
    if practitioner_id is not None and practitioner_id not in {p.id for p in active}:
        practitioner_id = None  # an unknown id shows everyone rather than nothing

    appointments = _visible_appointments().filter(starts_at__lt=end, ends_at__gt=start)
    if practitioner_id is not None:
        appointments = appointments.filter(practitioner_id=practitioner_id)
    appointments = list(appointments)
    visits = [_visit(a) for a in appointments]

    shown = [p for p in active if practitioner_id in (None, p.id)]
    # Someone no longer active may still have appointments: show them rather than hide them.
    known = {p.id for p in shown}
    for a in appointments:
        if a.practitioner_id not in known:
            known.add(a.practitioner_id)
            shown.append(Person(a.practitioner_id, a.practitioner.name))

    ids = [p.id for p in shown]
    hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in WorkingHours.objects.filter(practitioner_id__in=ids).order_by("start_time"):
        hours[row.practitioner_id][row.weekday].append((row.start_time, row.end_time))

    away = [
        Away(row.practitioner_id, row.starts_at, row.ends_at, row.reason)
        for row in TimeOff.objects.filter(
            Q(practitioner_id__in=ids) | Q(practitioner__isnull=True),
            starts_at__lt=end,
            ends_at__gt=start,
        )
    ]
    grid = build_grid(
        days=days,
        practitioners=shown,
        hours=hours,
        away=away,
        visits=visits,
        zone=zone,
        today=today,
    )
    return AgendaData(grid=grid, practitioners=active, shown=shown)


@dataclass(frozen=True)
class PanelLine:
    """One appointment in the dashboard panel."""

    starts_at: dt.datetime  # local
    ends_at: dt.datetime  # local
    practitioner: str
    visit: Visit


def home_panel_rows(
    *, now: dt.datetime, zone: ZoneInfo | None = None
) -> tuple[list[PanelLine], list[PanelLine]]:
    """Today's non-cancelled appointments, and flagged confirmed ones in the next 14 days.

    Two queries, whatever the number of appointments.
    """
    zone = zone or practice_zone()
    today = now.astimezone(zone).date()
    start, end = local_midnight(today, zone), local_midnight(today + dt.timedelta(1), zone)

    def line(a: Appointment) -> PanelLine:
        return PanelLine(
            starts_at=a.starts_at.astimezone(zone),
            ends_at=a.ends_at.astimezone(zone),
            practitioner=a.practitioner.name,
            visit=_visit(a),
        )

    todays = _visible_appointments().filter(starts_at__gte=start, starts_at__lt=end)
    flagged = (
        _visible_appointments()
        .filter(
            status=AppointmentStatus.CONFIRMED,
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=FLAGGED_AHEAD_DAYS),
        )
        .exclude(flags=[])
    )
    return [line(a) for a in todays], [line(a) for a in flagged if a.is_flagged]


# --- The admin view ---------------------------------------------------------------------


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
        self.zone = practice_zone()
        self.today = timezone.now().astimezone(self.zone).date()
        params = request.GET
        self.mode = "day" if params.get("view") == "day" else "week"
        self.date = _date_or(params.get("date"), self.today)
        self.practitioner_id = _int_or_none(params.get("practitioner"))
        if self.mode == "day":
            self.days = [self.date]
        else:
            monday = self.date - dt.timedelta(days=self.date.weekday())
            self.days = [monday + dt.timedelta(days=n) for n in range(7)]

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
            "practitioner": self.practitioner_id or "",
        }
        params.update(changes)
        params = {k: v for k, v in params.items() if v not in ("", None)}
        return f"{reverse('booking_agenda')}?{urlencode(params)}"

    def get_context_data(self, **kwargs):
        data = agenda_load(
            days=self.days,
            practitioner_id=self.practitioner_id,
            zone=self.zone,
            today=self.today,
        )
        step = dt.timedelta(days=1 if self.mode == "day" else 7)
        selected = self.practitioner_id if len(data.shown) == 1 else None
        for day in data.grid.days:
            day.url = self.url_for(view="day", date=day.date.isoformat())
        return super().get_context_data(
            grid=data.grid,
            mode=self.mode,
            date=self.date,
            today=self.today,
            days=self.days,
            zone_name=self.zone.key,
            practitioners=data.practitioners,
            selected_practitioner=selected,
            previous_url=self.url_for(date=(self.date - step).isoformat()),
            next_url=self.url_for(date=(self.date + step).isoformat()),
            today_url=self.url_for(date=self.today.isoformat()),
            day_url=self.url_for(view="day"),
            week_url=self.url_for(view="week"),
            everyone_url=self.url_for(practitioner=""),
            practitioner_links=[(p, self.url_for(practitioner=p.id)) for p in data.practitioners],
            step_label="day" if self.mode == "day" else "week",
            **kwargs,
        )


_agenda_view = AgendaView.as_view()


def agenda(request):
    """The agenda, for staff who may see appointments."""
    if not request.user.has_perm(PERMISSION):
        return permission_denied(request)
    return _agenda_view(request)


urlpatterns = [path("bookings/agenda/", agenda, name="booking_agenda")]


# --- The dashboard panel ----------------------------------------------------------------


class AgendaPanel(Component):
    """Today's appointments and the flagged ones coming up, on the admin home page."""

    name = "booking_agenda"
    template_name = "booking/staff/home_panel.html"
    order = 50

    def __init__(self, now: dt.datetime | None = None):
        self.now = now

    def get_context_data(self, parent_context=None):
        now = self.now or timezone.now()
        zone = practice_zone()
        today, flagged = home_panel_rows(now=now, zone=zone)
        try:
            agenda_url = reverse("booking_agenda")
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
        panels.append(AgendaPanel())
