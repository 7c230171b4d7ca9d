"""The tests' factories: articles, staff logins, the practice's schedule and bookings."""

import datetime as dt
import itertools
import json
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking import intake, services
from booking.models import Appointment, Practitioner, Service, TimeOff, WorkingHours
from practice.models import PractitionerProfile


def article_form_data(*, title: str, slug: str) -> dict:
    """What the editor posts for an article using every kind of block."""
    service = Service.objects.get(slug="follow-up-treatment")
    author = PractitionerProfile.objects.get(slug="mei-lin-harper")
    topic = Topic.objects.get(slug="neck-pain")
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "How pillows and positions may affect a stiff neck in the morning.",
            "author": author.pk,
            "reviewed_by": author.pk,
            "last_reviewed": "2026-11-01",
            "body": streamfield(
                [
                    ("heading", "Pillows"),
                    ("paragraph", rich_text("<p>A pillow that keeps your neck level.</p>")),
                    (
                        "callout",
                        {
                            "kind": "doctor",
                            "title": "When to see a doctor",
                            "text": rich_text("<p>Neck pain with fever.</p>"),
                        },
                    ),
                    ("quote", {"text": "Small changes add up.", "attribution": "M. L. H."}),
                    (
                        "faq",
                        {
                            "heading": "Questions",
                            "items": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "question": "Which pillow?",
                                            "answer": rich_text("<p>One that fits.</p>"),
                                        },
                                    )
                                ]
                            ),
                        },
                    ),
                    (
                        "booking_cta",
                        {
                            "heading": "Book a follow-up",
                            "text": "",
                            "service": service.pk,
                            "button_label": "Book",
                        },
                    ),
                    (
                        "references",
                        {
                            "items": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "citation": "A guideline. 2020.",
                                            "url": "https://example.org/g",
                                        },
                                    )
                                ]
                            )
                        },
                    ),
                ]
            ),
        }
    )
    data["topics"] = [topic.pk]  # a multiple choice, which nested_form_data would flatten
    return data


def make_article(
    *,
    index: ArticleIndexPage,
    title: str,
    topics: list[Topic],
    hero_image: Image | None = None,
    published: dt.datetime | None = None,
    service: Service | None = None,
) -> ArticlePage:
    """A published article with a heading, a paragraph, an FAQ, a booking call to action and
    a reference (an article cannot be published without one: blog/publishing.py)."""
    service = service or Service.objects.first()
    body = [
        {"type": "heading", "value": "What helps", "id": str(uuid.uuid4())},
        {"type": "paragraph", "value": "<p>" + "word " * 300 + "</p>", "id": str(uuid.uuid4())},
        {
            "type": "faq",
            "value": {
                "heading": "Questions",
                "items": [{"type": "item", "value": {"question": "Q?", "answer": "<p>A.</p>"}}],
            },
            "id": str(uuid.uuid4()),
        },
        {
            "type": "booking_cta",
            "value": {"heading": "Book", "text": "", "service": service.pk, "button_label": "Go"},
            "id": str(uuid.uuid4()),
        },
        {
            "type": "references",
            "value": {
                "items": [
                    {
                        "type": "item",
                        "value": {"citation": "A guideline. 2020.", "url": "https://example.org/g"},
                    }
                ]
            },
            "id": str(uuid.uuid4()),
        },
    ]
    author = PractitionerProfile.objects.get(slug="mei-lin-harper")
    page = ArticlePage(
        title=title,
        summary=f"A summary of {title.lower()}.",
        hero_image=hero_image,
        author=author,
        reviewed_by=author,
        last_reviewed=dt.date(2026, 11, 1),
        body=json.dumps(body),
        first_published_at=published or timezone.now(),
    )
    index.add_child(instance=page)
    page.topics.set(topics)
    page.save_revision().publish()
    return page


def staff_member(username: str, group: str | None = None, *, password: str = "pw", **fields):
    """A staff login, in one of the roles from ``booking.groups`` when ``group`` is given."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", password, is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


# --- A practice of the tests' own ----------------------------------------------------------
# Booking tests never read the demo's schedule: the ``practice`` fixture (tests/conftest.py)
# puts this one in its place, so editing practice/demo/ cannot change what they see.

SERVICES = {
    "new-patient-visit": {
        "name": "New patient visit",
        "duration_minutes": 75,
        "price": Decimal("120.00"),
        "sort_order": 1,
        "for_new_patients": True,
    },
    "follow-up-treatment": {
        "name": "Follow-up treatment",
        "duration_minutes": 50,
        "price": Decimal("90.00"),
        "sort_order": 2,
    },
    "electroacupuncture": {
        "name": "Follow-up with electroacupuncture",
        "duration_minutes": 50,
        "price": Decimal("95.00"),
        "sort_order": 3,
        "uses_electrical_stimulation": True,
    },
}

# Weekly hours in the practice's zone, Monday = 0: Rosa works weekdays with a lunch break,
# Omar on Tuesdays, Thursdays and Saturday mornings.
PRACTITIONERS = {
    "rosa-lind": {
        "name": "Rosa Lind",
        "hours": [
            *[(day, "09:00", "12:30") for day in range(4)],
            *[(day, "13:30", "18:00") for day in range(4)],
            (4, "09:00", "14:00"),
        ],
        "services": ["new-patient-visit", "follow-up-treatment", "electroacupuncture"],
    },
    "omar-haddad": {
        "name": "Omar Haddad",
        "hours": [(1, "10:00", "18:00"), (3, "10:00", "18:00"), (5, "09:00", "13:00")],
        "services": ["follow-up-treatment", "electroacupuncture"],
    },
}


def service_create(*, slug: str, name: str, **fields) -> Service:
    """An active service; ``fields`` as on the model (duration_minutes, price, ...)."""
    values = {"description": f"{name}, as the tests define it.", "price": Decimal("90.00")}
    return Service.objects.create(slug=slug, name=name, **(values | fields))


def practitioner_create(
    *, name: str, hours=(), services=(), slug: str | None = None, user=None
) -> Practitioner:
    """A bookable practitioner with a public profile, weekly hours and services."""
    profile = PractitionerProfile.objects.create(
        name=name, slug=slug or slugify(name), short_bio=f"{name} treats back and neck pain."
    )
    practitioner = Practitioner.objects.create(profile=profile, user=user)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            weekday=weekday,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
        )
        for weekday, start, end in hours
    )
    practitioner.services.add(*services)
    return practitioner


def practice_create() -> None:
    """Replaces whatever schedule the database holds with SERVICES and PRACTITIONERS."""
    Appointment.objects.all().delete()
    TimeOff.objects.all().delete()
    Practitioner.objects.all().delete()
    Service.objects.all().delete()
    services = {slug: service_create(slug=slug, **fields) for slug, fields in SERVICES.items()}
    for slug, spec in PRACTITIONERS.items():
        practitioner_create(
            slug=slug,
            name=spec["name"],
            hours=spec["hours"],
            services=[services[s] for s in spec["services"]],
        )


def practitioner(slug: str = "rosa-lind") -> Practitioner:
    return Practitioner.objects.get(profile__slug=slug)


# --- Bookings, made through the booking service as the site makes them -------------------

_emails = itertools.count(1)


def details(**overrides) -> services.PatientDetails:
    values = {
        "first_name": "Test",
        "last_name": "Patient",
        "email": f"patient{next(_emails)}@example.com",
        "phone": "(555) 010-0000",
        "date_of_birth": dt.date(1975, 1, 1),
    }
    values.update(overrides)
    return services.PatientDetails(**values)


def answers(**overrides) -> services.IntakeAnswers:
    values = intake.no_answers()
    values.update(overrides)
    return services.IntakeAnswers(kind="new", pain_score=5, answers=values)


ANYONE = None
_DEFAULT = object()


def book(*, start, service: str = "follow-up-treatment", who=_DEFAULT, **kwargs):
    """Books through the service; ``who=ANYONE`` asks for the first available practitioner,
    ``intake=None`` books with no answers (as staff do by phone)."""
    return services.appointment_book(
        service=Service.objects.get(slug=service),
        practitioner=practitioner() if who is _DEFAULT else who,
        start=start,
        details=kwargs.pop("patient", None) or details(),
        answers=kwargs.pop("intake") if "intake" in kwargs else answers(),
        **kwargs,
    )
