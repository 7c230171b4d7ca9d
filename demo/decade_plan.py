"""Ten years of a busy practice, planned as plain values: who came when, for what, and
what became of it. No ORM and no clock: ``now`` comes in, so the same seed gives the same
decade, and the plan can be checked without a database. ``decade.py`` writes it.

The practice grows over its first four years, is quieter in August and at the turn of
the year, and is booked a few weeks ahead. A new patient comes for a course of treatment
(a few visits, weekly then further apart); a few stay on for years. Practitioners take
time off three weeks a year, and nobody is booked then.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

NEW_VISIT = "new-patient-visit"
FOLLOW_UP = "follow-up-treatment"
ELECTRO = "electroacupuncture"
LENGTHS = {NEW_VISIT: 75, FOLLOW_UP: 50, ELECTRO: 50}

STEP = dt.timedelta(minutes=15)
HORIZON = dt.timedelta(weeks=6)
# Share of the slots given to a new patient when someone returning is due as well.
NEW_SHARE = 1 / 6

_FIRST = (
    "Ada Alma Amir Ana Arlo Bea Ben Cai Cleo Dara Dev Eli Ella Emil Eva Ezra Faye Finn Gia Gus "
    "Hana Ian Ida Ines Ivo Jae Jana Joel Kai Kira Lars Lea Leo Lia Lou Luca Mae Mara Milo Nia "
    "Noa Nils Omar Ora Otto Pia Raf Rey Rhea Rui Sami Sana Teo Tess Uma Val Vera Wes Yara Zoe"
)
_LAST = (
    "Abbot Achter Bakker Barros Bell Brandt Cairn Castell Dahl Duarte Ekdahl Ferro Fisk Gallo "
    "Grove Haas Hale Ibsen Ivers Jansen Kell Kovac Lind Lowe Marsh Mendel Moss Nakai Noor Oakes "
    "Okoro Pell Quarry Raines Reyes Rook Sato Selby Stroud Tamm Thorne Ulloa Vance Varga Vogel "
    "Wade Weller Wren Yates Zeller"
)
FIRST_NAMES, LAST_NAMES = tuple(_FIRST.split()), tuple(_LAST.split())
NOTES = (
    "Treated neck and upper back; advised a short walk after long sitting.",
    "Lower back easier since last visit; same points, lighter stimulation.",
    "Sleep improving. Kept the session short; patient felt tired afterwards.",
    "Worked on the shoulders; suggested the desk stretches again.",
    "Pain worse after a long drive; added points for the hips.",
    "Stable. Agreed to space the next visits three weeks apart.",
)
CANCEL_REASONS = ("Called to cancel", "Clash with work", "Unwell", "Travelling", "")
FLAG_CHOICES = ("blood_thinners", "diabetes", "needle_anxiety", "osteoporosis", "skin")


@dataclass(frozen=True)
class PractitionerPlan:
    """A practitioner's week: ``hours`` maps a weekday (Monday 0) to local time ranges."""

    hours: dict[int, tuple[tuple[dt.time, dt.time], ...]]
    services: frozenset[str]


@dataclass
class PatientPlan:
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: dt.date
    created_at: dt.datetime
    flags: tuple[str, ...]
    visits_left: int
    pain: float


@dataclass(frozen=True)
class VisitPlan:
    patient: int  # index into Plan.patients
    practitioner: int  # index into the practitioners passed in
    service: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    blocked_until: dt.datetime
    status: str
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    cancellation_reason: str
    reminder_sent_at: dt.datetime | None
    is_first_visit: bool
    booked_by_staff: bool
    screened: bool
    article: int | None  # index into the articles by publication date
    pain_score: int | None  # None: no intake
    flags: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class TimeOffPlan:
    practitioner: int
    first_day: dt.date
    last_day: dt.date


@dataclass
class Plan:
    patients: list[PatientPlan] = field(default_factory=list)
    visits: list[VisitPlan] = field(default_factory=list)
    time_off: list[TimeOffPlan] = field(default_factory=list)
    articles_published: list[dt.datetime] = field(default_factory=list)


def plan_decade(
    *,
    now: dt.datetime,
    tz: ZoneInfo,
    practitioners: list[PractitionerPlan],
    appointments: int,
    articles: int,
    years: int = 10,
    buffer: dt.timedelta = dt.timedelta(minutes=10),
    seed: int = 2016,
) -> Plan:
    """About ``appointments`` visits over ``years`` up to ``now`` and six weeks after it.

    The share of free time that gets booked is tuned until the count is within 3 % of
    what was asked (or the practice is full)."""
    fill = 0.95  # a busy practice is nearly full
    plan = _simulate(now, tz, practitioners, articles, years, buffer, seed, fill)
    for _ in range(6):
        if abs(len(plan.visits) - appointments) <= appointments * 0.03 or fill >= 1:
            break
        fill = min(1.0, fill * appointments / max(1, len(plan.visits)))
        plan = _simulate(now, tz, practitioners, articles, years, buffer, seed, fill)
    return plan


def _simulate(now, tz, practitioners, articles, years, buffer, seed, fill) -> Plan:
    rng = random.Random(seed)
    local_now = now.astimezone(tz)
    first_day = local_now.date().replace(year=local_now.year - years)
    last_day = (local_now + HORIZON).date()
    plan = Plan()
    span = (now - dt.datetime.combine(first_day, dt.time(9), tzinfo=tz)).total_seconds()
    plan.articles_published = sorted(
        (
            dt.datetime.combine(first_day, dt.time(9), tzinfo=tz)
            + dt.timedelta(seconds=rng.uniform(0, span))
        ).astimezone(dt.UTC)
        for _ in range(articles)
    )
    plan.time_off = _time_off(rng, len(practitioners), first_day, last_day)
    away = {
        (t.practitioner, t.first_day + dt.timedelta(days=n))
        for t in plan.time_off
        for n in range((t.last_day - t.first_day).days + 1)
    }
    due: list[tuple[dt.date, float, int]] = []  # (next visit due, tie-break, patient)
    day = first_day
    while day <= last_day:
        for number, practitioner in enumerate(practitioners):
            if (number, day) in away:
                continue
            for start, end in practitioner.hours.get(day.weekday(), ()):
                _book_range(
                    plan,
                    rng,
                    due,
                    day,
                    start,
                    end,
                    number,
                    practitioner,
                    tz,
                    now,
                    buffer,
                    fill * _demand(day, first_day, local_now.date()),
                )
        day += dt.timedelta(days=1)
    return plan


def _demand(day: dt.date, first_day: dt.date, today: dt.date) -> float:
    """How much of the free time is booked on ``day``: growing for four years, quieter in
    August and late December, and thinning out weeks ahead."""
    growth = 0.55 + 0.45 * min(1.0, (day - first_day).days / (4 * 365))
    season = 0.7 if day.month == 8 or (day.month == 12 and day.day > 20) else 1.0
    ahead = (day - today).days
    if ahead > 0:
        season *= max(0.1, 1 - ahead / HORIZON.days)
    return growth * season


def _time_off(rng, practitioners: int, first_day: dt.date, last_day: dt.date):
    time_off = []
    for number in range(practitioners):
        for year in range(first_day.year, last_day.year + 1):
            summer = dt.date(year, 7, 1) + dt.timedelta(days=rng.randrange(50))
            winter = dt.date(year, 2, 1) + dt.timedelta(days=rng.randrange(40))
            time_off.append(TimeOffPlan(number, summer, summer + dt.timedelta(days=13)))
            time_off.append(TimeOffPlan(number, winter, winter + dt.timedelta(days=6)))
    return time_off


def _book_range(plan, rng, due, day, start, end, number, practitioner, tz, now, buffer, fill):
    moment = dt.datetime.combine(day, start, tzinfo=tz)
    closes = dt.datetime.combine(day, end, tzinfo=tz)
    while moment < closes:
        if rng.random() >= fill:
            moment += 2 * STEP
            continue
        patient = _patient_for(plan, rng, due, day, practitioner, moment, now)
        if patient is None:
            moment += 2 * STEP
            continue
        first = plan.patients[patient].visits_left < 0
        service = NEW_VISIT if first else _follow_up(rng, practitioner, plan.patients[patient])
        length = dt.timedelta(minutes=LENGTHS[service])
        if moment + length > closes:
            if not first:
                heapq.heappush(due, (day, rng.random(), patient))
            else:
                plan.patients.pop()
            break
        starts = moment.astimezone(dt.UTC)
        plan.visits.append(
            _visit(plan, rng, patient, number, service, starts, length, buffer, first, now)
        )
        _after_visit(plan, rng, due, patient, day, first)
        taken = length + buffer
        moment += -(-taken // STEP) * STEP  # up to the next step


def _patient_for(plan, rng, due, day, practitioner, moment, now) -> int | None:
    returning_due = bool(due) and due[0][0] <= day
    takes_new = NEW_VISIT in practitioner.services
    if returning_due and (rng.random() >= NEW_SHARE or not takes_new):
        return heapq.heappop(due)[2]
    if not takes_new:
        return None
    plan.patients.append(_new_patient(rng, len(plan.patients), moment, now))
    return len(plan.patients) - 1


def _new_patient(rng, number: int, moment: dt.datetime, now: dt.datetime) -> PatientPlan:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    kind = rng.random()
    # Most come for a short course; some for a longer one; a few keep coming for years.
    visits = (
        rng.randint(1, 5)
        if kind < 0.7
        else rng.randint(5, 11)
        if kind < 0.97
        else (rng.randint(25, 90))
    )
    age = rng.randint(20, 85)
    email = "" if rng.random() < 0.04 else f"{first}.{last}.{number}@example.com".lower()
    booked = min(moment - dt.timedelta(days=rng.randint(1, 21)), now - dt.timedelta(hours=1))
    return PatientPlan(
        first_name=first,
        last_name=last,
        email=email,
        phone=f"(555) {number // 10000:03d}-{number % 10000:04d}",
        date_of_birth=dt.date(moment.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        created_at=booked.astimezone(dt.UTC),
        flags=(rng.choice(FLAG_CHOICES),) if rng.random() < 0.06 else (),
        visits_left=-visits,  # negative until the first visit is planned
        pain=rng.uniform(5, 9),
    )


def _follow_up(rng, practitioner: PractitionerPlan, patient: PatientPlan) -> str:
    if ELECTRO in practitioner.services and rng.random() < 0.2 and not patient.flags:
        return ELECTRO
    return FOLLOW_UP


def _after_visit(plan, rng, due, patient: int, day: dt.date, first: bool) -> None:
    record = plan.patients[patient]
    record.visits_left = -record.visits_left - 1 if first else record.visits_left - 1
    record.pain = max(1.0, record.pain - rng.uniform(-0.5, 1.2))
    if record.visits_left > 0:
        gap = rng.randint(6, 9) if record.visits_left > 3 else rng.randint(12, 30)
        heapq.heappush(due, (day + dt.timedelta(days=gap), rng.random(), patient))


def _visit(plan, rng, patient, number, service, starts, length, buffer, first, now):
    record = plan.patients[patient]
    lead = dt.timedelta(hours=rng.randint(2, 24 * 21))
    created = record.created_at if first else min(starts - lead, now - dt.timedelta(minutes=5))
    created = min(created, starts - dt.timedelta(hours=1))
    status, cancelled_at, reason = _outcome(rng, starts, created, now)
    by_staff = rng.random() < 0.25
    screened = not (by_staff and starts > now and rng.random() < 0.4)
    article = _article_read(plan, rng, created, by_staff)
    return VisitPlan(
        patient=patient,
        practitioner=number,
        service=service,
        starts_at=starts,
        ends_at=starts + length,
        blocked_until=starts + length + buffer,
        status=status,
        created_at=created,
        cancelled_at=cancelled_at,
        cancellation_reason=reason,
        reminder_sent_at=_reminder_sent_at(starts, status, created, now),
        is_first_visit=first,
        booked_by_staff=by_staff,
        screened=screened,
        article=article,
        pain_score=round(record.pain) if screened else None,
        flags=record.flags if screened else (),
        note=_note(rng, status),
    )


def _article_read(plan, rng, created: dt.datetime, by_staff: bool) -> int | None:
    """Which of the articles published by then the patient booked from, if any (the newer
    ones more often); staff bookings come from none."""
    published = bisect.bisect(plan.articles_published, created)
    if not by_staff and published and rng.random() < 0.3:
        return int(published * rng.random() ** 0.5)
    return None


def _reminder_sent_at(starts: dt.datetime, status: str, created: dt.datetime, now: dt.datetime):
    """A day before, if that has come, the visit still stands and it was booked earlier."""
    reminder = starts - dt.timedelta(hours=24)
    reminded = reminder <= now and status != "cancelled" and reminder > created
    return reminder if reminded else None


def _note(rng, status: str) -> str:
    """A practitioner's note on some of the visits kept."""
    return rng.choice(NOTES) if status == "completed" and rng.random() < 0.35 else ""


def _outcome(rng, starts: dt.datetime, created: dt.datetime, now: dt.datetime):
    """What became of a visit: a past one was kept, cancelled or missed (the last few days'
    outcomes not all entered yet); an upcoming one stands or was cancelled."""
    draw = rng.random()
    if starts < now and draw < 0.87:
        recent = now - starts < dt.timedelta(days=3)
        return ("confirmed" if recent and rng.random() < 0.3 else "completed"), None, ""
    if (starts < now and draw < 0.95) or (starts >= now and draw < 0.05):
        return "cancelled", _cancelled_at(rng, starts, created, now), rng.choice(CANCEL_REASONS)
    if starts < now:
        return "no_show", None, ""
    return "confirmed", None, ""


def _cancelled_at(rng, starts: dt.datetime, created: dt.datetime, now: dt.datetime):
    """When a cancelled visit was called off: some late (within the day before), the rest
    anywhere between booking and visit."""
    late = rng.random() < 0.3
    window = starts - created
    before = rng.uniform(1, 23) * 3600 if late else rng.uniform(0.1, 0.9) * window.total_seconds()
    cancelled = max(created, starts - dt.timedelta(seconds=before))
    return min(cancelled, now)
