"""Builds the demo practice from the TOML files beside this module.

Every step creates only what is missing, so running it again changes nothing
and never overwrites what someone edited in the admin. The content format is
described in ``FORMAT.txt``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.images.rect import Rect
from wagtail.models import Page, Site

from blog.models import ArticleIndexPage, ArticlePage, Topic
from booking.groups import ensure_staff_groups, grant_article_publishing
from booking.models import Practitioner, Service, WorkingHours
from practice.models import HomePage, PracticeSettings, PractitionerProfile, StandardPage
from practice.site_address import site_follow_site_url

from .appointments import load_sample_appointments
from .artwork import Portrait, draw_portrait
from .scenes import describe_scene, draw_scene

CONTENT_DIR = Path(__file__).resolve().parent

# The practice's details, topics, services and practitioners (pages and articles have a
# TOML file each, in pages/ and articles/).
PRACTICE_FILE = CONTENT_DIR / "practice.toml"
# The home page's illustration, in the greens of the practice's own colours.
HOME_PALETTE = "sage"
HOME_SCENE = "treatment-room"
HOME_FOCAL_POINT = Rect(460, 160, 1300, 720)  # in the drawn picture's 1600 x 900 pixels


@dataclass
class Report:
    created: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created.append(what)


def load_demo_content(*, sample_appointments: bool = True) -> Report:
    """Everything the demo needs; ``sample_appointments=False`` leaves the schedule empty
    (the test suite books its own)."""
    report = Report()
    with transaction.atomic():
        site = _site()
        data = tomllib.loads(PRACTICE_FILE.read_text())
        _practice_settings(site, data["practice"], report)
        topics = {spec["slug"]: _topic(spec, report) for spec in data["topics"]}
        services = {spec["slug"]: _service(spec, report) for spec in data["services"]}
        profiles = []
        for spec in data["practitioners"]:
            profiles.append(_practitioner(spec["profile"], Portrait(**spec["portrait"]), report))
            _bookable(profiles[-1], spec, [services[s] for s in spec["services"]], report)
        practitioner = profiles[0]
        home = _home_page(site, practitioner, data["practice"]["name"], report)
        context = _Context(topics=topics, services=services, practitioner=practitioner)
        for path in sorted((CONTENT_DIR / "pages").glob("*.toml")):
            _standard_page(home, tomllib.loads(path.read_text()), context, report)
        index = _article_index(home, report)
        for path in sorted((CONTENT_DIR / "articles").glob("*.toml")):
            _article(index, tomllib.loads(path.read_text()), context, report)
        ensure_staff_groups()
        grant_article_publishing(index)
        if sample_appointments:
            load_sample_appointments(report)
    return report


@dataclass
class _Context:
    topics: dict[str, Topic]
    services: dict[str, Service]
    practitioner: PractitionerProfile


def _site() -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root = Page.get_first_root_node()
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=root, is_default_site=True
        )
    return site


def _practice_settings(site: Site, practice: dict, report: Report) -> None:
    if PracticeSettings.objects.filter(site=site).exists():
        return
    values = {key: value for key, value in practice.items() if key != "opening_hours"}
    hours = [
        {
            "type": "hours",
            "value": {"days": block["days"], "opens": block["opens"], "closes": block["closes"]},
            "id": str(uuid.uuid4()),
        }
        for block in practice["opening_hours"]
    ]
    PracticeSettings.objects.create(site=site, opening_hours=json.dumps(hours), **values)
    report.add("practice details")


def _topic(spec: dict, report: Report) -> Topic:
    topic, created = Topic.objects.get_or_create(
        slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
    )
    if created:
        report.add(f"topic {topic.name}")
    return topic


def _service(spec: dict, report: Report) -> Service:
    defaults = {k: v for k, v in spec.items() if k != "slug"} | {"price": Decimal(spec["price"])}
    service, created = Service.objects.get_or_create(slug=spec["slug"], defaults=defaults)
    if created:
        report.add(f"service {service.name}")
    return service


def _image(title: str, alt: str, draw) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        content = draw()
        image = Image(title=title, description=alt)
        image.file = ImageFile(io.BytesIO(content), name=f"{slugify(title)[:80]}.jpg")
        image.save()
    return image


def _practitioner(spec: dict, portrait: Portrait, report: Report) -> PractitionerProfile:
    profile = PractitionerProfile.objects.filter(slug=spec["slug"]).first()
    if profile is not None:
        return profile
    photo = _image(
        f"Portrait illustration: {spec['name']}",
        f"Illustrated portrait of {spec['name']}",
        lambda: draw_portrait(portrait),
    )
    profile = PractitionerProfile.objects.create(photo=photo, **spec)
    report.add(f"practitioner {profile.name}")
    return profile


def _bookable(profile: PractitionerProfile, spec: dict, services, report: Report) -> None:
    """The practitioner's booking record, weekly hours and services, if not there yet."""
    if Practitioner.objects.filter(profile=profile).exists():
        return
    practitioner = Practitioner.objects.create(
        profile=profile, takes_new_patients=spec.get("takes_new_patients", True)
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            weekday=weekday,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
        )
        for weekday, start, end in spec["hours"]
    )
    for service in services:
        service.practitioners.add(practitioner)
    report.add(f"bookable hours for {profile.name}")


def _home_page(
    site: Site, practitioner: PractitionerProfile, site_name: str, report: Report
) -> HomePage:
    existing = HomePage.objects.first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    # The page Wagtail creates at install time has nothing of value on it, but
    # holds the slug "home"; move it aside, then remove it once the site points home.
    placeholder = site.root_page.specific
    replaceable = type(placeholder) is Page and not placeholder.get_children().exists()
    if replaceable:
        Page.objects.filter(pk=placeholder.pk).update(slug=f"replaced-{placeholder.pk}")
    image = _image(
        "Home: the treatment room",
        describe_scene(HOME_SCENE),
        lambda: draw_scene(HOME_SCENE, HOME_PALETTE),
    )
    # The couch and the practitioner: what every crop of the picture keeps in view.
    image.set_focal_point(HOME_FOCAL_POINT)
    image.save(
        update_fields=["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"]
    )
    home = HomePage(
        title="Home",
        slug="home",
        seo_title="Acupuncture for back and neck pain",
        hero_heading="Acupuncture for back and neck pain, explained and done with care",
        hero_text=(
            "We help adults with back and neck pain move and sleep better, alongside the care "
            "you get from your doctor or physical therapist. Book online in a few minutes."
        ),
        hero_image=image,
        audience_heading="Who we help",
        audience_text=(
            "<p>Most of the people we see live with one of these:</p><ul>"
            "<li>long-lasting low back pain, with or without pain down the leg;</li>"
            "<li>a stiff, sore neck, often from hours at a desk or behind the wheel;</li>"
            "<li>tension between the shoulder blades that keeps coming back.</li></ul>"
            "<p>Acupuncture does not help everyone, and we will say so if it is not helping you. "
            "If your pain is new and severe, or comes with warning signs such as numbness or "
            "weakness, see a doctor first.</p>"
        ),
        practitioner=practitioner,
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site.root_page = home
    site.site_name = site_name
    site.save()
    site_follow_site_url(site)
    if replaceable:
        Page.objects.get(pk=placeholder.pk).delete()
    report.add("home page")
    return home


def _standard_page(home: HomePage, spec: dict, context: _Context, report: Report) -> None:
    if home.get_children().filter(slug=spec["slug"]).exists():
        return
    page = StandardPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        show_in_menus=spec.get("show_in_menus", False),
        body=json.dumps(_stream(spec["body"], context, seed=spec["slug"])),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    report.add(f"page {page.title}")


def _article_index(home: HomePage, report: Report) -> ArticleIndexPage:
    index = ArticleIndexPage.objects.child_of(home).first()
    if index is not None:
        return index
    index = ArticleIndexPage(
        title="Articles",
        slug="articles",
        show_in_menus=True,
        intro=(
            "Plain-language articles on back and neck pain, what acupuncture can and cannot do, "
            "and when to see a doctor instead. Each one is dated, referenced and reviewed."
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    report.add("article index")
    return index


def _article(index: ArticleIndexPage, spec: dict, context: _Context, report: Report) -> None:
    if index.get_children().filter(slug=spec["slug"]).exists():
        return
    hero = _image(
        f"Article: {spec['title']}",
        describe_scene(spec["image_scene"]),
        lambda: draw_scene(spec["image_scene"], spec["image_palette"]),
    )
    published = _local_datetime(spec["published"])
    page = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        hero_image=hero,
        author=context.practitioner,
        reviewed_by=context.practitioner,
        # Never a review date still to come, which no route may publish: a demo loaded on a
        # machine whose clock is before the content's date reads as reviewed that day.
        last_reviewed=min(spec["reviewed"], timezone.localdate()),
        body=json.dumps(_stream(spec["body"], context, seed=spec["slug"])),
        first_published_at=published,
    )
    index.add_child(instance=page)
    page.topics.set([context.topics[slug] for slug in spec["topics"]])
    page.save_revision().publish()
    report.add(f"article {page.title}")


def _local_datetime(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _stream(blocks: list[dict], context: _Context, *, seed: str) -> list[dict]:
    """Turns the TOML blocks into StreamField JSON."""
    stream = []
    for number, block in enumerate(blocks):
        kind = block["type"]
        value = _block_value(kind, block, context, seed=f"{seed}-{number}")
        stream.append(
            {
                "type": kind,
                "value": value,
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{number}")),
            }
        )
    return stream


def _items(items: list[dict]) -> list[dict]:
    return [{"type": "item", "value": item, "id": str(uuid.uuid4())} for item in items]


# Blocks whose value is read straight from the TOML table.
_PLAIN_BLOCKS = {
    "heading": lambda block: block["text"],
    "paragraph": lambda block: block["text"].strip(),
    "callout": lambda block: {
        "kind": block["kind"],
        "title": block["title"],
        "text": block["text"].strip(),
    },
    "seek_care": lambda block: {"heading": block.get("heading", "")},
    "quote": lambda block: {"text": block["text"], "attribution": block.get("attribution", "")},
}


def _block_value(kind: str, block: dict, context: _Context, *, seed: str):
    if kind in _PLAIN_BLOCKS:
        return _PLAIN_BLOCKS[kind](block)
    match kind:
        case "image":
            alt = describe_scene(block["scene"])
            image = _image(
                f"Illustration: {block['caption'][:60]}",
                alt,
                lambda: draw_scene(block["scene"], block["palette"]),
            )
            return {
                "image": {"image": image.pk, "decorative": False, "alt_text": alt},
                "caption": block["caption"],
            }
        case "faq":
            items = [
                {"question": item["question"], "answer": item["answer"].strip()}
                for item in block["items"]
            ]
            return {
                "heading": block.get("heading", "Questions and answers"),
                "items": _items(items),
            }
        case "references":
            items = [{"citation": i["citation"], "url": i.get("url", "")} for i in block["items"]]
            return {"items": _items(items)}
        case "booking_cta":
            return {
                "heading": block["heading"],
                "text": block.get("text", ""),
                "service": context.services[block["service"]].pk,
                "button_label": block.get("button_label", "Book this session"),
            }
        case "practitioner":
            return PractitionerProfile.objects.get(slug=block["slug"]).pk
    raise ValueError(f"Unknown block type {kind!r} in demo content.")
