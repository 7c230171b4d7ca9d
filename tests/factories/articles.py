"""Articles for the tests: as the editor posts them in the admin (``article_form_data``)
and published under an index (``make_article``), written by the tests' practitioner Rosa
Lind; and a page saved live in one step (``live_page``), which the tests' site uses for its
other pages too."""

import datetime as dt
import json
import uuid

from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.search import index as search_index
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking.models import Service
from practice.models import PractitionerProfile
from tests.clock import today


def reviewed_a_month_ago() -> dt.date:
    """A review date a month before the suite's today: never one still to come, which no
    route may publish, whatever day the suite runs on."""
    return today() - dt.timedelta(days=30)


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
            "last_reviewed": reviewed_a_month_ago().isoformat(),
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
    last_reviewed: dt.date | None = None,
    revision: bool = True,
) -> ArticlePage:
    """A published article by Rosa Lind (``practice_create``); by default with a heading, a
    paragraph, an FAQ, a booking call to action and a reference (an article cannot be
    published without one: blog/publishing.py) (``body``: StreamField JSON, ``site.stream``).

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
        last_reviewed=last_reviewed or reviewed_a_month_ago(),
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


def live_page(parent: Page, page: Page) -> Page:
    """``page`` saved under ``parent``, live, with its publishing dates, in one save: a page
    as publishing leaves it, without a revision, a log entry or the ``page_published``
    signal (nothing is cached yet that would need telling). A third of publishing's time."""
    page.live = True
    page.first_published_at = page.first_published_at or timezone.now()
    page.last_published_at = page.first_published_at
    parent.add_child(instance=page)
    return page
