"""The demo command: complete, idempotent, and careful with what it says about health."""

import datetime as dt
import io
import re
import tomllib

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from PIL import ImageStat
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from blog.models import ArticlePage, Topic
from booking.models import Service
from demo.artwork import PALETTES
from demo.loader import CONTENT_DIR, HOME_SCENE
from demo.scenes import SCENES, describe_scene, draw_scene
from practice.models import HomePage, PracticeSettings, PractitionerProfile

# The demo practice as the demo command loaded it, not the tests' own site (tests/conftest.py).
pytestmark = pytest.mark.demo

ARTICLE_FILES = sorted((CONTENT_DIR / "articles").glob("*.toml"))
PAGE_FILES = sorted((CONTENT_DIR / "pages").glob("*.toml"))


def snapshot() -> dict:
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live")),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "topics": Topic.objects.count(),
        "services": list(Service.objects.values_list("slug", "price")),
        "practitioners": PractitionerProfile.objects.count(),
        "settings": list(PracticeSettings.objects.values_list("name", "phone")),
    }


@pytest.mark.django_db
def test_the_demo_practice_is_complete():
    assert ArticlePage.objects.live().count() >= 8
    assert Service.objects.active().count() == 3
    assert {p.slug for p in Page.objects.live()} >= {
        "home",
        "about",
        "faq",
        "privacy-notice",
        "medical-disclaimer",
        "articles",
    }
    for article in ArticlePage.objects.live():
        kinds = [block.block_type for block in article.body]
        assert article.hero_image and article.author and article.last_reviewed, article.title
        assert article.topics.exists(), article.title
        assert kinds[-1] == "references", article.title
        assert kinds.count("booking_cta") == 1, article.title
        assert article.publishing_problems() == {}, article.title


@pytest.mark.django_db
def test_running_it_again_changes_nothing(capsys):
    before = snapshot()
    call_command("load_demo_content", without_appointments=True)
    assert snapshot() == before
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_running_it_again_keeps_edits_made_in_the_admin():
    article = ArticlePage.objects.get(slug="your-first-visit")
    article.title = "Edited by the practitioner"
    article.save_revision().publish()
    service = Service.objects.get(slug="follow-up-treatment")
    service.price = 99
    service.save()

    call_command("load_demo_content", without_appointments=True)

    article.refresh_from_db()
    service.refresh_from_db()
    assert article.title == "Edited by the practitioner"
    assert service.price == 99


@pytest.mark.django_db
def test_a_deleted_demo_article_is_put_back(article_index):
    ArticlePage.objects.get(slug="your-first-visit").delete()
    call_command("load_demo_content", without_appointments=True)
    assert article_index.get_children().filter(slug="your-first-visit").exists()


# The articles are health content: these rules are checked on the source files.

BANNED = [
    r"\bcures?\b(?! claims)",
    r"risk[- ]free",
    r"\bdetox",
    r"safe for everyone",
    r"\bmiracle",
    r"\bguarantee[sd]?\b",
]
NEGATED = re.compile(r"(not|no|never|cannot|isn.t|aren.t|without)\b[^.]{0,40}$", re.IGNORECASE)


@pytest.mark.parametrize("path", ARTICLE_FILES + PAGE_FILES, ids=lambda p: p.stem)
def test_demo_text_makes_no_promises(path):
    text = re.sub(r"<[^>]+>", " ", path.read_text())
    for pattern in BANNED:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            before = text[max(0, match.start() - 60) : match.start()]
            assert NEGATED.search(before), f"{path.name}: '{match.group()}' in “…{before}”"


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_articles_cite_their_sources_and_say_when_to_see_a_doctor(path):
    article = tomllib.loads(path.read_text())
    blocks = article["body"]
    references = blocks[-1]
    assert references["type"] == "references"
    assert len(references["items"]) >= 3
    assert all(item["url"].startswith("https://") for item in references["items"])
    # Every article page shows the shared "when to see a doctor" box by itself
    # (tests/blog/test_article_safety.py); an article's own box only adds topic advice.
    assert "seek_care" not in {b["type"] for b in blocks}
    assert 120 <= len(article["summary"]) <= 160
    assert len(article["title"]) <= 70
    words = sum(len(re.sub(r"<[^>]+>", " ", str(b.get("text", ""))).split()) for b in blocks)
    assert words >= 600, f"{path.name} has {words} words of prose"


@pytest.mark.django_db
def test_sample_appointments_fill_the_coming_two_weeks_once():
    from django.utils import timezone

    from booking.models import Appointment, Patient

    call_command("load_demo_content")
    upcoming = Appointment.objects.filter(starts_at__gte=timezone.now())
    assert upcoming.count() == 8
    assert all(a.starts_at < timezone.now() + dt.timedelta(days=15) for a in upcoming)
    assert all(p.email.endswith("@example.com") for p in Patient.objects.all())
    assert {a.practitioner.name for a in upcoming} == {"Mei Lin Harper", "Daniel Okafor"}
    assert upcoming.exclude(precautions=[]).count() == 2
    history = Appointment.objects.filter(patient__last_name="Testwell").order_by("starts_at")
    assert [a.intake.pain_score for a in history][:4] == [8, 7, 5, 4]
    # A returning patient: one new patient visit, the first, and follow-ups since.
    assert [a.service.slug for a in history] == ["new-patient-visit"] + ["follow-up-treatment"] * 4
    assert [a.is_first_visit for a in history] == [True, False, False, False, False]
    # Everyone's first visit, and only that, is a "First visit": a new patient visit. A
    # patient coming for a follow-up had theirs before, completed.
    for patient in Patient.objects.all():
        visits = list(patient.appointments.order_by("starts_at"))
        assert [a.is_first_visit for a in visits] == [True] + [False] * (len(visits) - 1)
        assert visits[0].service.slug == "new-patient-visit"
        assert all(a.status == "completed" for a in visits if a.starts_at < timezone.now())
    assert not upcoming.filter(service__slug="follow-up-treatment", is_first_visit=True).exists()
    call_command("load_demo_content")
    assert Appointment.objects.filter(starts_at__gte=timezone.now()).count() == 8


@pytest.mark.django_db
def test_the_demo_agenda_badges_only_first_visits(admin_client):
    """Each coming week's agenda shows "First visit" once for each new patient visit in it,
    beyond whatever an empty week shows (a legend, say), and never for a follow-up."""
    from django.urls import reverse
    from django.utils import timezone

    from booking.models import Appointment

    call_command("load_demo_content")
    today = timezone.localdate()

    def badges(day) -> int:
        page = admin_client.get(reverse("booking_staff:agenda"), {"date": day.isoformat()})
        # The badge itself (each card's hover title repeats its markers in words).
        return page.content.decode().count('<span class="agenda-marker">First visit</span>')

    empty_week = badges(today + dt.timedelta(weeks=20))
    for week in range(3):
        day = today + dt.timedelta(weeks=week)
        monday = day - dt.timedelta(days=day.weekday())
        that_week = Appointment.objects.holding_time().filter(
            starts_at__date__gte=monday, starts_at__date__lt=monday + dt.timedelta(days=7)
        )
        first_visits = that_week.filter(is_first_visit=True)
        assert all(a.service.slug == "new-patient-visit" for a in first_visits)
        assert badges(day) == empty_week + first_visits.count()
    assert Appointment.objects.filter(service__slug="follow-up-treatment").exists()


def _mean_colour(data: bytes) -> tuple[float, float, float]:
    return tuple(ImageStat.Stat(PillowImage.open(io.BytesIO(data)).convert("RGB")).mean)


def _nearest_wall(colour) -> str:
    def distance(palette) -> float:
        return min(
            sum((a - b) ** 2 for a, b in zip(colour, tone, strict=True))
            for tone in (palette.background, palette.soft)
        )

    return min(PALETTES, key=lambda name: distance(PALETTES[name]))


def _nearest_palette(colour) -> str:
    def distance(palette) -> float:
        mixed = [(b + s) / 2 for b, s in zip(palette.background, palette.soft, strict=True)]
        return sum((a - b) ** 2 for a, b in zip(colour, mixed, strict=True))

    return min(PALETTES, key=lambda name: distance(PALETTES[name]))


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_every_scene_is_drawn_in_its_palette_and_described(scene):
    drawn = PillowImage.open(io.BytesIO(draw_scene(scene, "blue")))
    assert drawn.size == (1600, 900)
    for palette in ("moss", "rose", "blue"):  # the wall, in a corner, is the palette's
        corner = PillowImage.open(io.BytesIO(draw_scene(scene, palette))).convert("RGB")
        corner = corner.getpixel((8, 8))
        assert _nearest_wall(corner) == palette, (scene, palette, corner)
    assert describe_scene(scene).startswith("Illustration: ")


def test_no_two_articles_share_a_picture():
    pictures = [
        (spec["image_scene"], spec["image_palette"])
        for spec in (tomllib.loads(path.read_text()) for path in ARTICLE_FILES)
    ]
    assert len(set(pictures)) == len(pictures)


@pytest.mark.django_db
def test_every_demo_picture_says_what_it_shows():
    specs = [tomllib.loads(path.read_text()) for path in ARTICLE_FILES]
    for spec in specs:
        article = ArticlePage.objects.get(slug=spec["slug"])
        assert article.hero_image.description == describe_scene(spec["image_scene"])
        for block in article.body:
            if block.block_type == "image":
                scene = next(b["scene"] for b in spec["body"] if b["type"] == "image")
                assert block.value["image"].contextual_alt_text == describe_scene(scene)
    home = HomePage.objects.get()
    assert home.hero_image.description == describe_scene(HOME_SCENE)
    assert home.hero_image.has_focal_point()
    for profile in PractitionerProfile.objects.all():
        assert profile.photo.description == f"Illustrated portrait of {profile.name}"


@pytest.mark.django_db
def test_about_and_home_introduce_everyone_who_can_be_booked(client):
    bookable = PractitionerProfile.objects.filter(practitioner__is_active=True)
    assert bookable.count() == 2
    about = client.get("/about/").content.decode()
    home = client.get("/").content.decode()
    assert "one-practitioner" not in about
    for profile in bookable:
        assert profile.name in about
        assert profile.biography and profile.photo
        for html in (about, home):
            assert f'href="/practitioners/{profile.slug}/"' in html
        assert client.get(f"/practitioners/{profile.slug}/").status_code == 200
