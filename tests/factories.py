"""Small hand-written factories for test data."""

import datetime as dt
import json
import uuid

from django.utils import timezone
from wagtail.images.models import Image
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking.models import Service
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
    """A published article with a heading, a paragraph, an FAQ and a booking call to action."""
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
