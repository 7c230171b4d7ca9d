"""The tests' factories: articles, staff logins, the practice's schedule and bookings, and
the site of the tests' own (pages, articles, topics, images and the practice's details)."""

import datetime as dt
import functools
import io
import itertools
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.search import index as search_index
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking import intake, selectors, services
from booking.groups import grant_article_publishing
from booking.manage_links import manage_link_create
from booking.models import (
    Appointment,
    AppointmentStatus,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WaitlistEntry,
    WorkingHours,
)
from booking.patients.records import patient_get_or_create
from practice.models import HomePage, PracticeSettings, PractitionerProfile, StandardPage
from tests.clock import local, today


def article_form_data(*, title: str, slug: str, topic: Topic | None = None) -> dict:
    """What the editor posts for an article using every kind of block, written by the
    tests' practitioner Rosa Lind (``practice_create``); ``topic`` is the first by default."""
    service = Service.objects.get(slug="follow-up-treatment")
    author = PractitionerProfile.objects.get(slug="rosa-lind")
    topic = topic or Topic.objects.first()
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
    summary: str = "",
    body: list[dict] | None = None,
    last_reviewed: dt.date = dt.date(2026, 11, 1),
    revision: bool = True,
) -> ArticlePage:
    """A published article by Rosa Lind (``practice_create``); by default with a heading, a
    paragraph, an FAQ, a booking call to action and a reference (an article cannot be
    published without one: blog/publishing.py) (``body``: StreamField JSON, ``stream``).

    Published as the editor publishes, through a revision and Wagtail's ``page_published``
    signal; ``revision=False`` saves it live at once instead (``live_page``), for a site
    built before the test looks."""
    service = service or Service.objects.first()
    body = body or [
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
    author = PractitionerProfile.objects.get(slug="rosa-lind")
    page = ArticlePage(
        title=title,
        summary=summary or f"A summary of {title.lower()}.",
        hero_image=hero_image,
        author=author,
        reviewed_by=author,
        last_reviewed=last_reviewed,
        body=json.dumps(body),
        first_published_at=published or timezone.now(),
    )
    page.topics.set(topics)
    if not revision:
        live_page(index, page)
        # Its topics are saved after the page, and after its search entry: once more.
        search_index.insert_or_update_object(page)
        return page
    index.add_child(instance=page)
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
# puts this one in its place, so editing demo/ cannot change what they see.

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
    WaitlistEntry.objects.all().delete()
    Appointment.with_holds.all().delete()
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


def answers(*, kind: str = "new", **overrides) -> services.IntakeAnswers:
    """Answers with nothing to report, but for ``overrides``; ``kind="returning"``: the
    short questions of a patient seen before."""
    values = intake.no_answers()
    values.update(overrides)
    return services.IntakeAnswers(kind=kind, pain_score=5, answers=values)


ANYONE = None
_DEFAULT = object()


def seen_before(
    *, email: str, days_ago: int = 14, who: Practitioner | None = None, at: dt.time | None = None
) -> Appointment:
    """A kept visit ``days_ago`` days ago (at this local time, or now's) for the patient with
    this address (``who``, by default the patient's latest practitioner, a follow-up): a
    returning patient from now on."""
    patient = Patient.objects.get(email__iexact=email)
    latest = patient.appointments.order_by("-starts_at").first()
    start = timezone.localtime(timezone.now() - dt.timedelta(days=days_ago))
    if at is not None:
        start = start.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    service = Service.objects.get(slug="follow-up-treatment")
    end = start + dt.timedelta(minutes=service.duration_minutes)
    return Appointment.objects.create(
        patient=patient,
        practitioner=who or (latest.practitioner if latest else practitioner()),
        service=service,
        starts_at=start,
        ends_at=end,
        blocked_until=end,
        status=AppointmentStatus.COMPLETED,
        screened=True,
    )


_earlier_visits = itertools.count(14)


def returning(*, who: Practitioner, **overrides) -> services.PatientDetails:
    """A patient ``who`` has seen before (a kept visit two weeks or more ago, early in the
    morning of a day of its own, clear of the tests' bookings): their details, to book what
    is open only to returning patients, as the demo's follow-ups are."""
    patient = details(**overrides)
    patient_get_or_create(patient)
    seen_before(email=patient.email, who=who, days_ago=next(_earlier_visits), at=dt.time(6))
    return patient


def seen(appointment: Appointment, *, days_ago: int = 14) -> Appointment:
    """The visit moved to ``days_ago`` days before now and marked kept: its patient has
    been seen (``selectors.patient_is_new``)."""
    shift = appointment.starts_at - (timezone.now() - dt.timedelta(days=days_ago))
    Appointment.objects.filter(pk=appointment.pk).update(
        status=AppointmentStatus.COMPLETED,
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        blocked_until=F("blocked_until") - shift,
    )
    appointment.refresh_from_db()
    return appointment


def book(*, start, service: str = "follow-up-treatment", who=_DEFAULT, **kwargs):
    """Books through the service; ``who=ANYONE`` asks for the first available practitioner,
    ``intake=None`` books with no answers (as staff do by phone). By default the answers are
    the ones the site asks: a returning patient's (``returning``) short questions, or else
    the new patient's."""
    patient = kwargs.pop("patient", None) or details()
    if "intake" not in kwargs:
        known = selectors.patient_get_for_details(details=patient)
        kwargs["intake"] = answers(
            kind="new" if selectors.patient_is_new(patient=known) else "returning"
        )
    return services.appointment_book(
        service=Service.objects.get(slug=service),
        practitioner=practitioner() if who is _DEFAULT else who,
        start=start,
        details=patient,
        answers=kwargs.pop("intake"),
        **kwargs,
    )


def notices_queued() -> None:
    """With the database queue: runs the queued ``send_notices`` tasks as a worker would,
    so that the emails and reminder they queue are there to look at, none of them sent."""
    from django_tasks_db.models import DBTaskResult

    from booking.notifications import send_notices

    waiting = DBTaskResult.objects.filter(task_path=send_notices.module_path, status="READY")
    for run in waiting:
        send_notices.call(**run.args_kwargs["kwargs"])
    waiting.update(status="SUCCESSFUL")


# --- A site of the tests' own ------------------------------------------------------------
# Page tests never read the demo's pages, articles, topics or practice details: the ``site``
# fixture (tests/conftest.py) puts this site in their place, inside the test's transaction.

PRACTICE_NAME = "Test Street Acupuncture"

PRACTICE_DETAILS = {
    "name": PRACTICE_NAME,
    "tagline": "Acupuncture for sore shoulders, knees and headaches, two doors from the bakery.",
    "phone": "(555) 010-2323",
    "email": "desk@teststreet.example",
    "street_address": "9 Test Street, Ground floor",
    "address_locality": "Riverton",
    "address_region": "VT",
    "postal_code": "05001",
    "address_country": "US",
    "map_url": "https://www.openstreetmap.org/search?query=9%20Test%20Street%20Riverton",
    "price_currency": "USD",
}
# Days that share their hours: the door is open a little before and after the sessions.
OPENING_HOURS = [
    (["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "08:30", "17:30"),
    (["Saturday"], "09:30", "12:30"),
]

TOPICS = {
    "shoulder-pain": ("Shoulder pain", "Shoulders that ache, stiffen or wake you at night."),
    "headaches": ("Headaches", "Tension headaches and the ones that need a doctor first."),
    "knee-pain": ("Knee pain", "Knees that complain on stairs, walks and bike rides."),
    "sleep": ("Sleep", "Resting well when something hurts."),
    "exercise": ("Exercise and movement", "Staying active between sessions."),
    "first-session": ("Your first session", "What to bring, mention and expect."),
}

# The article with every kind of block, hero image and figure (``TestSite.article``); the
# others are ``make_article``'s. Newest first: (title, topics, days before today, image).
FEATURE_SLUG = "sleeping-with-a-sore-shoulder"
ARTICLES = [
    ("Sleeping with a sore shoulder", ["shoulder-pain", "sleep"], 3, "hero"),
    ("Tension headaches at the end of the working day", ["headaches", "sleep"], 10, "hero"),
    ("Knee pain on the stairs", ["knee-pain"], 17, "other"),
    ("Gentle shoulder exercises between sessions", ["shoulder-pain", "exercise"], 24, "other"),
    ("Medicines to mention before a session", ["first-session"], 31, None),
    ("What a first session at Test Street looks like", ["first-session"], 45, "hero"),
    ("Walking, cycling and sore knees", ["knee-pain", "exercise"], 60, "other"),
    ("Headaches that need a doctor first", ["headaches"], 90, None),
]
# Only one article has this word, in its summary: what the search tests look for.
SEARCH_WORD = "anticoagulants"


@dataclass
class TestSite:
    """What ``site_create`` built; ``articles`` newest first."""

    __test__ = False  # not a test class, whatever its name

    site: Site
    practice: PracticeSettings
    author: PractitionerProfile
    home: HomePage
    pages: dict[str, StandardPage]
    index: ArticleIndexPage
    topics: dict[str, Topic]
    articles: list[ArticlePage]
    article: ArticlePage
    images: list[Image]


def stream(*blocks: tuple[str, object]) -> list[dict]:
    """StreamField JSON from (block type, value) pairs."""
    return [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]


def _items(*values: dict) -> list[dict]:
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _prose(*sentences: str, words: int) -> str:
    """A paragraph of at least ``words`` words, the sentences taken in turn."""
    text: list[str] = []
    for sentence in itertools.cycle(sentences):
        text.append(sentence)
        if len(" ".join(text).split()) >= words:
            return "<p>" + " ".join(text) + "</p>"
    raise AssertionError("unreachable")


def image_create(title: str, *, alt: str, size=(1600, 900), colour=(96, 140, 128)) -> Image:
    """A Wagtail image drawn in memory: a plain gradient, big enough for every rendition."""
    image = Image(title=title, description=alt)
    image.file = ImageFile(io.BytesIO(_gradient(size, colour)), name=f"{slugify(title)}.jpg")
    image.save()
    return image


@functools.cache
def _gradient(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    picture = PillowImage.linear_gradient("L").resize(size).convert("RGB")
    picture = PillowImage.blend(picture, PillowImage.new("RGB", size, colour), 0.7)
    content = io.BytesIO()
    picture.save(content, "JPEG", quality=70)
    return content.getvalue()


def live_page(parent: Page, page: Page) -> Page:
    """``page`` saved under ``parent``, live, with its publishing dates, in one save: a page
    as publishing leaves it, without a revision, a log entry or the ``page_published``
    signal (nothing is cached yet that would need telling). A third of publishing's time."""
    page.live = True
    page.first_published_at = page.first_published_at or timezone.now()
    page.last_published_at = page.first_published_at
    parent.add_child(instance=page)
    return page


def _feature_body(*, figure: Image, service: Service) -> list[dict]:
    """Every kind of block an article may hold, with more than 800 words of prose."""
    return stream(
        ("paragraph", "<p>A sore shoulder often feels worst at night, when you lie on it.</p>"),
        ("heading", "Why the shoulder aches at night"),
        (
            "paragraph",
            _prose(
                "Lying on the painful side presses on tissues that are already irritated.",
                "Lying on the other side can let the sore arm fall forward and pull.",
                "Many people wake when they roll over, not when they first lie down.",
                words=280,
            ),
        ),
        (
            "image",
            {
                "image": {"image": figure.pk, "decorative": False, "alt_text": figure.description},
                "caption": "A pillow under the sore arm keeps it from falling forward.",
            },
        ),
        ("heading", "Positions worth trying"),
        (
            "paragraph",
            _prose(
                "Try lying on your back with a small pillow under the sore arm.",
                "On the good side, hug a pillow so the sore arm rests level.",
                "Give a new position a week before you judge it.",
                words=280,
            ),
        ),
        ("quote", {"text": "Change one thing at a time.", "attribution": "Rosa Lind, L.Ac."}),
        ("heading", "Pillows, mattresses and the evening before"),
        (
            "paragraph",
            _prose(
                "A pillow that keeps your head level spares the shoulder below it.",
                "Heat in the evening helps some people and not others.",
                "A short walk after dinner is kinder than a late workout.",
                words=280,
            ),
        ),
        (
            "callout",
            {
                "kind": "doctor",
                "title": "When to see a doctor instead",
                "text": "<p>See a doctor first after a fall, if you cannot lift the arm, or if "
                "the pain comes with fever or chest pain; call 911 for chest pain.</p>",
            },
        ),
        (
            "faq",
            {
                "heading": "Questions about sleep and shoulders",
                "items": _items(
                    {"question": "Should I sleep on the sore side?", "answer": "<p>Rarely.</p>"},
                    {"question": "Does a new pillow help?", "answer": "<p>Sometimes.</p>"},
                    {"question": "How soon does it ease?", "answer": "<p>Give it weeks.</p>"},
                ),
            },
        ),
        (
            "booking_cta",
            {
                "heading": "Talk it through at a follow-up",
                "text": "Bring a note of the positions you tried.",
                "service": service.pk,
                "button_label": "Book a follow-up",
            },
        ),
        (
            "references",
            {
                "items": _items(
                    {"citation": "Shoulder pain at night. Test Journal. 2024.", "url": ""},
                    {"citation": "Sleep positions.", "url": "https://example.org/sleep"},
                    {"citation": "Shoulder care.", "url": "https://example.org/shoulder"},
                    {"citation": "Pillows compared.", "url": "https://example.org/pillows"},
                )
            },
        ),
    )


def _standard_pages(author: PractitionerProfile) -> list[StandardPage]:
    def faq(*pairs: tuple[str, str]) -> tuple[str, dict]:
        items = [{"question": q, "answer": f"<p>{a}</p>"} for q, a in pairs]
        return ("faq", {"heading": "", "items": _items(*items)})

    return [
        StandardPage(
            title="About Test Street Acupuncture",
            slug="about",
            show_in_menus=True,
            summary="Who we are at Test Street Acupuncture, who treats you, and how we work "
            "alongside your doctor.",
            body=json.dumps(
                stream(
                    ("paragraph", "<p>A small practice on Test Street with two rooms.</p>"),
                    ("heading", "Who treats you"),
                    ("practitioner", author.pk),
                    ("heading", "How we work"),
                    ("paragraph", "<p>We write to your doctor when you ask us to.</p>"),
                )
            ),
        ),
        StandardPage(
            title="Questions about Test Street",
            slug="faq",
            show_in_menus=True,
            summary="Short answers to what people ask us before their first session at Test "
            "Street Acupuncture: needles, time, money.",
            body=json.dumps(
                stream(
                    ("heading", "Before you come"),
                    faq(
                        ("Where do I park?", "On Test Street, free after six."),
                        ("What should I wear?", "Loose sleeves you can roll up."),
                        ("Can I bring someone?", "Yes, they can wait or sit in."),
                        ("Do I need a referral?", "No."),
                    ),
                    ("heading", "Sessions and payment"),
                    faq(
                        ("How long is a session?", "Fifty minutes; the first is longer."),
                        ("How do I pay?", "By card at the desk."),
                        ("Can I cancel?", "Online, up to a day before."),
                        ("Do you send receipts?", "By email, the same day."),
                    ),
                )
            ),
        ),
        StandardPage(
            title="Medical disclaimer for Test Street",
            slug="medical-disclaimer",
            summary="What the articles on the Test Street Acupuncture site can and cannot do "
            "for you, and when to see a doctor instead.",
            body=json.dumps(
                stream(
                    ("heading", "General information only"),
                    ("paragraph", "<p>The articles here do not replace your doctor.</p>"),
                    (
                        "callout",
                        {
                            "kind": "doctor",
                            "title": "See a doctor first",
                            "text": "<p>For new, severe or worsening pain.</p>",
                        },
                    ),
                )
            ),
        ),
        StandardPage(
            title="Privacy at Test Street",
            slug="privacy-notice",
            summary="What Test Street Acupuncture keeps about you when you book, why, for how "
            "long, and how to ask for it.",
            body=json.dumps(
                stream(
                    ("heading", "What we keep"),
                    ("paragraph", "<p>Your name, how to reach you and your answers.</p>"),
                    ("heading", "How to ask for it"),
                    ("paragraph", "<p>Write to desk@teststreet.example.</p>"),
                )
            ),
        ),
    ]


def site_create() -> TestSite:
    """Replaces the site's pages, topics and practice details with a site of the tests' own.

    The default Site keeps its record (and address) and gets a new home page; every page
    under the tree's root before (the demo's) is deleted, and its topics with it, inside the
    test's transaction. Rosa Lind (``practice_create``, which must have run) writes the
    articles and is introduced on the home and about pages."""
    site = Site.objects.get(is_default_site=True)
    root = Page.get_first_root_node()
    site.root_page = root
    site.save()
    for page in root.get_children():
        page.delete()
    Topic.objects.all().delete()

    hero = image_create("Test site: hero", alt="A soft green gradient, lighter to the right")
    other = image_create(
        "Test site: second hero", alt="A warm sand gradient", colour=(200, 160, 110)
    )
    figure = image_create("Test site: figure", alt="A pale blue gradient", colour=(140, 170, 210))
    portrait = image_create(
        "Test site: portrait of Rosa Lind",
        alt="A plain square standing in for Rosa Lind's photo",
        size=(640, 640),
        colour=(170, 120, 140),
    )
    images = {"hero": hero, "other": other}

    author = PractitionerProfile.objects.get(slug="rosa-lind")
    author.credentials = "L.Ac."
    author.licence = "Licensed Acupuncturist, Vermont"
    author.board_certification = "Diplomate of Acupuncture, NCCAOM"
    author.photo = portrait
    author.save()

    home = live_page(
        root,
        HomePage(
            title="Home",
            slug="home",
            hero_heading="Acupuncture on Test Street for shoulders, knees and headaches",
            hero_text="Rosa Lind and Omar Haddad treat aching shoulders, knees and tension "
            "headaches at 9 Test Street. Book a session online.",
            hero_image=other,
            audience_heading="Who comes to Test Street",
            audience_text="<p>People with a shoulder, a knee or a headache that lingers.</p>",
            practitioner=author,
        ),
    )
    site.root_page = home
    site.site_name = PRACTICE_NAME
    site.save()
    PracticeSettings.objects.filter(site=site).delete()
    hours = stream(*[("hours", {"days": d, "opens": o, "closes": c}) for d, o, c in OPENING_HOURS])
    practice = PracticeSettings.objects.create(
        site=site, opening_hours=json.dumps(hours), **PRACTICE_DETAILS
    )

    pages = {page.slug: live_page(home, page) for page in _standard_pages(author)}
    index = live_page(
        home,
        ArticleIndexPage(
            title="Articles",
            slug="articles",
            show_in_menus=True,
            intro="Short, dated articles from Test Street Acupuncture on shoulders, knees, "
            "headaches and sleep.",
        ),
    )
    grant_article_publishing(index)

    topics = {
        slug: Topic.objects.create(slug=slug, name=name, description=description)
        for slug, (name, description) in TOPICS.items()
    }
    follow_up = Service.objects.get(slug="follow-up-treatment")
    articles = []
    for title, slugs, days_ago, image in ARTICLES:
        feature = slugify(title) == FEATURE_SLUG
        summary = f"{title}: what Test Street Acupuncture suggests, and when to see a doctor."
        if title.startswith("Medicines"):
            summary = f"Blood thinners ({SEARCH_WORD}), steroids or a pregnancy: tell us first."
        articles.append(
            make_article(
                index=index,
                title=title,
                topics=[topics[slug] for slug in slugs],
                hero_image=images.get(image),
                published=local(today() - dt.timedelta(days=days_ago), 9),
                service=follow_up,
                summary=summary,
                body=_feature_body(figure=figure, service=follow_up) if feature else None,
                last_reviewed=today() - dt.timedelta(days=days_ago - 1),
                revision=False,
            )
        )
    return TestSite(
        site=site,
        practice=practice,
        author=author,
        home=home,
        pages=pages,
        index=index,
        topics=topics,
        articles=articles,
        article=next(a for a in articles if a.slug == FEATURE_SLUG),
        images=[hero, other, figure],
    )


def manage_token(appointment) -> str:
    """A manage link's token for ``appointment``, the same one each time for the same object
    (a link is made per email; pages redirect to the link they were opened with)."""
    token = getattr(appointment, "_test_manage_token", None)
    if token is None:
        token = manage_link_create(appointment=appointment)
        appointment._test_manage_token = token
    return token
