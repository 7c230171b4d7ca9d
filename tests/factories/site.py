"""A Wagtail site of the tests' own: its home and standard pages, topics, articles, images
and the practice's details (``site_create``).

Page tests never read the demo's pages, articles, topics or practice details: the ``site``
fixture (tests/conftest.py) puts this site in their place, inside the test's transaction."""

import datetime as dt
import functools
import io
import itertools
import json
import uuid
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from wagtail.images.models import Image
from wagtail.models import Page, Site

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking.groups import grant_article_publishing
from booking.models import Service
from practice.models import HomePage, PracticeSettings, PractitionerProfile, StandardPage
from tests.clock import local, today
from tests.factories.articles import live_page, make_article

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
