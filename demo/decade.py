"""Writes ten years of a busy three-practitioner practice into an empty schedule, for
measuring what the admin pages, exports and nightly tasks cost after a decade
(``manage.py fill_decade``, ``bench/decade_bench.py``). The plan itself, who came when
and what became of it, is ``decade_plan.py``.

Rows go in with ``bulk_create`` in batches, in one transaction: the intake answers and
staff notes are encrypted by their fields as usual, and the creation times are the
planned ones (a booking made three weeks before its visit says so), not the moment of
the fill. The articles are published one by one, as an editor publishes, so each is a
live page with its revision, routed and indexed like any other.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking import intake, selectors
from booking.groups import PRACTITIONER
from booking.models import (
    Appointment,
    AppointmentNote,
    Intake,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from practice.models import PractitionerProfile

from . import decade_plan as plan_module
from .loader import load_demo_content

BATCH = 2000
T = dt.time
# A busy practice's week: every practitioner on weekdays 08:00 to 19:00 with a lunch break;
# the second also on Saturday mornings. Only the first and the third see new patients.
FULL_DAYS = {day: ((T(8), T(12, 30)), (T(13), T(19))) for day in range(5)}
HOURS = {
    "mei-lin-harper": FULL_DAYS,
    "daniel-okafor": {**FULL_DAYS, 5: ((T(9), T(13)),)},
    "sofia-brandt": FULL_DAYS,
}
SERVICES = {
    "mei-lin-harper": {plan_module.NEW_VISIT, plan_module.FOLLOW_UP, plan_module.ELECTRO},
    "daniel-okafor": {plan_module.FOLLOW_UP, plan_module.ELECTRO},
    "sofia-brandt": {plan_module.NEW_VISIT, plan_module.FOLLOW_UP},
}
THIRD_PRACTITIONER = {
    "slug": "sofia-brandt",
    "name": "Sofia Brandt",
    "credentials": "L.Ac.",
    "short_bio": "Sofia joined the practice in its second year and sees new patients with "
    "long-standing low back pain.",
}
ARTICLE_ANGLES = (
    "what the research says",
    "a week of small changes",
    "questions patients ask",
    "when to see a doctor first",
    "what to expect at a first visit",
    "at the desk",
    "after a long drive",
    "sleep and pain",
    "stretches that help",
    "myths and facts",
    "a practitioner's notes",
    "how long it takes",
    "with a physical therapist",
    "for older adults",
    "during pregnancy",
    "and stress",
    "in the cold months",
    "for runners",
    "for gardeners",
    "for parents of small children",
    "and heavy lifting",
    "what we measure",
    "how acupuncture is thought to work",
    "one patient's course of treatment",
    "when it does not help",
    "safety and side effects",
    "keeping a pain diary",
    "and screen time",
    "on a long flight",
    "a reading list",
    "the first month",
    "and posture at work",
    "after a fall",
    "and electroacupuncture",
    "and sitting all day",
    "questions for your doctor",
    "what changes between visits",
    "and walking",
)


@dataclass
class DecadeReport:
    patients: int
    appointments: int
    intakes: int
    notes: int
    articles: int
    time_off: int
    seconds: dict[str, float] = field(default_factory=dict)


def fill_decade(
    *, now: dt.datetime, appointments: int, articles: int, years: int = 10
) -> DecadeReport:
    """Fills an empty schedule; refuses (ValueError) when any patient exists already."""
    if Patient.objects.exists() or Appointment.objects.exists():
        raise ValueError("The schedule is not empty: the decade fills only an empty one.")
    seconds = {}
    clock = time.perf_counter()
    load_demo_content(sample_appointments=False)
    practitioners = _practitioners()
    seconds["demo content"], clock = time.perf_counter() - clock, time.perf_counter()
    made_articles = _articles(articles - ArticlePage.objects.count())
    seconds["articles"], clock = time.perf_counter() - clock, time.perf_counter()
    tz = timezone.get_default_timezone()
    plan = plan_module.plan_decade(
        now=now,
        tz=tz,
        practitioners=[
            plan_module.PractitionerPlan(HOURS[p.profile.slug], frozenset(SERVICES[p.profile.slug]))
            for p in practitioners
        ],
        appointments=appointments,
        articles=ArticlePage.objects.count(),
        years=years,
        buffer=selectors.booking_policy_get().buffer,
    )
    _date_articles(plan.articles_published)
    seconds["plan"], clock = time.perf_counter() - clock, time.perf_counter()
    with transaction.atomic():
        report = _write(plan, practitioners, made_articles)
    seconds["rows"] = time.perf_counter() - clock
    report.seconds = seconds
    return report


def _practitioners() -> list[Practitioner]:
    """The demo's two practitioners and a third, with a busy practice's hours and services,
    each with a staff login (the author of their notes) that nobody can sign in with."""
    if not PractitionerProfile.objects.filter(slug=THIRD_PRACTITIONER["slug"]).exists():
        profile = PractitionerProfile.objects.create(**THIRD_PRACTITIONER)
        Practitioner.objects.create(profile=profile)
    services = {s.slug: s for s in Service.objects.all()}
    group = Group.objects.get(name=PRACTITIONER)
    practitioners = list(Practitioner.objects.select_related("profile").order_by("pk"))
    for practitioner in practitioners:
        slug = practitioner.profile.slug
        WorkingHours.objects.filter(practitioner=practitioner).delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=practitioner, weekday=day, start_time=start, end_time=end)
            for day, ranges in HOURS[slug].items()
            for start, end in ranges
        )
        practitioner.services.set([services[s] for s in SERVICES[slug]])
        if practitioner.user_id is None:
            user = get_user_model().objects.create_user(
                username=f"decade-{slug}", email=f"{slug}@example.com", is_staff=True
            )
            user.groups.add(group)
            practitioner.user = user
            practitioner.save(update_fields=["user"])
    return practitioners


@transaction.atomic
def _articles(missing: int) -> list[ArticlePage]:
    """``missing`` more articles, published one by one; their bodies and pictures are the
    demo articles', under titles of their own. Returns every article, oldest id first.

    The search index is written once for all of them at the end, not at every save."""
    post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        _publish_articles(missing)
    finally:
        post_save.connect(post_save_signal_handler, sender=ArticlePage)
    articles = list(ArticlePage.objects.order_by("pk"))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, articles)
    return articles


def _publish_articles(missing: int) -> None:
    demo = list(ArticlePage.objects.order_by("pk"))
    index = ArticleIndexPage.objects.get()
    topics = list(Topic.objects.all())
    titles = (
        f"{topic.name}: {angle}" + (f", part {part}" if part > 1 else "")
        for part in itertools.count(1)
        for angle in ARTICLE_ANGLES
        for topic in topics
    )
    taken = set(ArticlePage.objects.values_list("title", flat=True))
    sources = itertools.cycle(demo)
    for number in range(missing):
        title = next(t for t in titles if t not in taken)
        source = next(sources)
        page = ArticlePage(
            title=title,
            slug=f"{slugify(title)[:60]}-{number}",
            summary=source.summary,
            hero_image_id=source.hero_image_id,
            author_id=source.author_id,
            reviewed_by_id=source.reviewed_by_id,
            last_reviewed=source.last_reviewed,
            body=source.body.raw_data,
        )
        index.add_child(instance=page)
        page.topics.set([topics[number % len(topics)], topics[(number * 7 + 3) % len(topics)]])
        page.save_revision().publish()


def _date_articles(published: list[dt.datetime]) -> None:
    """The articles appeared over the decade, the demo's own among them."""
    pages = list(ArticlePage.objects.order_by("pk").only("pk"))
    for page, when in zip(pages, published, strict=True):
        page.first_published_at = page.last_published_at = when
    ArticlePage.objects.bulk_update(pages, ["first_published_at", "last_published_at"])


def _write(plan, practitioners: list[Practitioner], articles: list[ArticlePage]) -> DecadeReport:
    # _date_articles gave the publication dates in id order.
    by_date = [page.pk for page in sorted(articles, key=lambda page: page.pk)]
    services = {s.slug: s.pk for s in Service.objects.all()}
    with _planned_times(Patient, Appointment, Intake, AppointmentNote):
        patients = _bulk(
            Patient,
            (
                Patient(
                    email=p.email,
                    first_name=p.first_name,
                    last_name=p.last_name,
                    phone=p.phone,
                    date_of_birth=p.date_of_birth,
                    created_at=p.created_at,
                )
                for p in plan.patients
            ),
        )
        visits = _bulk(
            Appointment,
            (_appointment(v, patients, practitioners, services, by_date) for v in plan.visits),
        )
        intakes = _bulk(
            Intake,
            (
                _intake(v, row)
                for v, row in zip(plan.visits, visits, strict=True)
                if v.pain_score is not None
            ),
        )
        notes = _bulk(
            AppointmentNote,
            (
                AppointmentNote(
                    appointment_id=row.pk,
                    author_id=practitioners[v.practitioner].user_id,
                    text=v.note,
                    created_at=v.ends_at + dt.timedelta(minutes=5),
                )
                for v, row in zip(plan.visits, visits, strict=True)
                if v.note
            ),
        )
    time_off = _bulk(TimeOff, (_time_off(t, practitioners) for t in plan.time_off))
    return DecadeReport(
        patients=len(patients),
        appointments=len(visits),
        intakes=len(intakes),
        notes=len(notes),
        articles=len(articles),
        time_off=len(time_off),
    )


def _appointment(v, patients, practitioners, services, articles) -> Appointment:
    return Appointment(
        patient_id=patients[v.patient].pk,
        practitioner_id=practitioners[v.practitioner].pk,
        service_id=services[v.service],
        starts_at=v.starts_at,
        ends_at=v.ends_at,
        blocked_until=v.blocked_until,
        status=v.status,
        flags=list(v.flags),
        precautions=intake.precautions_for(list(v.flags)),  # bulk_create skips save()
        screened=v.screened,
        is_first_visit=v.is_first_visit,
        source_page_id=articles[v.article] if v.article is not None else None,
        booked_by_staff=v.booked_by_staff,
        reminder_sent_at=v.reminder_sent_at,
        cancelled_at=v.cancelled_at,
        cancellation_reason=v.cancellation_reason,
        created_at=v.created_at,
        updated_at=v.cancelled_at or v.created_at,
    )


def _intake(v, appointment: Appointment) -> Intake:
    answers = intake.no_answers()
    for flag in v.flags:
        answers[f"screen_{flag}"] = "yes"
    answers["pain_score"] = v.pain_score
    if v.is_first_visit:
        answers.update(
            pain_areas=["lower_back" if v.patient % 3 else "neck"],
            pain_duration="over_3_months" if v.patient % 2 else "6_to_12_weeks",
            pain_onset="posture",
            worse="Sitting for a long time",
            better="Walking, warmth",
        )
    else:
        answers["changes"] = "Sleeping better" if v.pain_score < 5 else "About the same"
    answered = v.created_at
    return Intake(
        appointment_id=appointment.pk,
        kind="new" if v.is_first_visit else "returning",
        pain_score=v.pain_score,
        answers=answers,
        consented_at=answered,
        privacy_acknowledged_at=answered,
        cancellation_policy_acknowledged_at=answered,
        created_at=answered,
    )


def _time_off(t, practitioners) -> TimeOff:
    tz = timezone.get_default_timezone()
    return TimeOff(
        practitioner=practitioners[t.practitioner],
        starts_at=dt.datetime.combine(t.first_day, dt.time.min, tzinfo=tz),
        ends_at=dt.datetime.combine(t.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        reason="Holiday",
    )


def _bulk(model: type[models.Model], rows: Iterator[models.Model]) -> list[models.Model]:
    """Inserts ``rows`` in batches; returns them with their primary keys."""
    made: list[models.Model] = []
    for batch in itertools.batched(rows, BATCH):
        made.extend(model.objects.bulk_create(batch))
    return made


@contextmanager
def _planned_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Lets the rows keep the creation and change times the plan gives them, instead of the
    moment of the fill (``auto_now_add`` / ``auto_now`` would overwrite them)."""
    changed = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(f, flag, False):
                    setattr(f, flag, False)
                    changed.append((f, flag))
    try:
        yield
    finally:
        for f, flag in changed:
            setattr(f, flag, True)
