"""Ten years of a practice for the bench (``manage.py fill_decade``): the plan keeps the
schedule's own rules, and the command writes it only where it is told it may."""

import datetime as dt
import itertools
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from blog.models import ArticlePage
from booking.models import Appointment, AppointmentNote, Intake, Patient, TimeOff
from demo import decade_plan as plan_module
from demo.decade import HOURS, SERVICES

TZ = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 18, 15, 30, tzinfo=dt.UTC)
PRACTITIONERS = [
    plan_module.PractitionerPlan(HOURS[slug], frozenset(SERVICES[slug]))
    for slug in ("mei-lin-harper", "daniel-okafor", "sofia-brandt")
]


@pytest.fixture(scope="module")
def plan():
    return plan_module.plan_decade(
        now=NOW, tz=TZ, practitioners=PRACTITIONERS, appointments=3000, articles=20, years=2
    )


def test_the_plan_books_about_as_many_visits_as_asked(plan):
    assert abs(len(plan.visits) - 3000) <= 90
    assert len(plan.patients) < len(plan.visits) / 3


def test_no_two_visits_of_a_practitioner_hold_the_same_time(plan):
    held = defaultdict(list)
    for visit in plan.visits:
        if visit.status != "cancelled":
            held[visit.practitioner].append((visit.starts_at, visit.blocked_until))
    for spans in held.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start >= end


def test_visits_fall_in_working_hours_and_never_in_time_off(plan):
    away = defaultdict(list)
    for time_off in plan.time_off:
        away[time_off.practitioner].append((time_off.first_day, time_off.last_day))
    for visit in plan.visits:
        start, end = visit.starts_at.astimezone(TZ), visit.ends_at.astimezone(TZ)
        ranges = PRACTITIONERS[visit.practitioner].hours[start.weekday()]
        assert any(opens <= start.time() and end.time() <= closes for opens, closes in ranges)
        assert not any(first <= start.date() <= last for first, last in away[visit.practitioner])
        assert visit.service in PRACTITIONERS[visit.practitioner].services


def test_outcomes_follow_the_clock(plan):
    for visit in plan.visits:
        if visit.starts_at >= NOW:
            assert visit.status in {"confirmed", "cancelled"}
        assert visit.created_at < visit.starts_at
        assert visit.created_at <= NOW
        if visit.status == "cancelled":
            assert visit.created_at <= visit.cancelled_at <= min(visit.starts_at, NOW)
    assert any(v.starts_at > NOW for v in plan.visits), "some weeks ahead are booked"
    assert {v.status for v in plan.visits} == {"confirmed", "completed", "cancelled", "no_show"}


def test_each_patient_starts_with_a_new_patient_visit(plan):
    seen = set()
    for visit in sorted(plan.visits, key=lambda v: v.starts_at):
        assert visit.is_first_visit == (visit.patient not in seen)
        assert (visit.service == plan_module.NEW_VISIT) == visit.is_first_visit
        seen.add(visit.patient)


def test_a_visit_comes_only_from_an_article_published_before_it_was_booked(plan):
    sourced = [v for v in plan.visits if v.article is not None]
    assert sourced
    for visit in sourced:
        assert plan.articles_published[visit.article] <= visit.created_at


def test_the_same_seed_plans_the_same_decade():
    def make():
        return plan_module.plan_decade(
            now=NOW, tz=TZ, practitioners=PRACTITIONERS, appointments=500, articles=5, years=1
        )

    assert make().visits == make().visits


@pytest.mark.django_db
def test_the_command_refuses_without_being_told_the_database_is_throwaway():
    with pytest.raises(CommandError, match="throwaway"):
        call_command("fill_decade")
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_holds_patients():
    Patient.objects.create(
        first_name="Nora", last_name="Quill", phone="555 0100", date_of_birth=dt.date(1980, 1, 2)
    )
    with pytest.raises(CommandError, match="not empty"):
        call_command("fill_decade", "--throwaway", "--appointments", "50", "--years", "1")
    assert Patient.objects.count() == 1
    assert not Appointment.objects.exists()


@pytest.mark.django_db
@pytest.mark.demo
def test_the_command_fills_a_year_with_encrypted_answers_and_live_articles(client):
    call_command(
        "fill_decade",
        "--throwaway",
        "--now",
        NOW.isoformat(),
        "--appointments",
        "400",
        "--articles",
        "14",
        "--years",
        "1",
    )
    assert 380 <= Appointment.objects.count() <= 420
    assert Intake.objects.count() == Appointment.objects.filter(screened=True).count()
    assert AppointmentNote.objects.exists() and TimeOff.objects.exists()
    assert ArticlePage.objects.live().count() == 14
    # The creation times are the plan's, spread over the year, not the moment of the fill.
    assert Appointment.objects.filter(created_at__lt=NOW - dt.timedelta(days=180)).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT answers, pain_score FROM {Intake._meta.db_table}")
        stored = cursor.fetchall()
    assert all("screen_" not in answers and not pain.isdigit() for answers, pain in stored)
    assert isinstance(Intake.objects.first().pain_score, int)
    newest = ArticlePage.objects.live().order_by("-pk").first()
    assert client.get(newest.url).status_code == 200
