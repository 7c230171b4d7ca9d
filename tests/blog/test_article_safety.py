"""An article is health content: it is published only with an author, a reviewer, a review
date and its references, and every article shows the "when to see a doctor" box and the
medical disclaimer without its author adding them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks.base import get_error_json_data
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog import publishing
from blog.models import ArticlePage
from practice.blocks import BaseStreamBlock
from practice.seek_care import DOCTOR_SOON, EMERGENCY
from tests.factories.articles import make_article
from tests.factories.practice import practitioner_create
from tests.factories.staff import staff_member

PUBLISH = {"action-publish": "action-publish"}


def incomplete_form_data(*, title: str = "Neck pain at night", slug: str = "neck-pain-at-night"):
    """An article as a writer may leave it for now: no author, reviewer, review date or sources."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "Why a sore neck may wake you, and what may help you sleep.",
            "author": "",
            "reviewed_by": "",
            "last_reviewed": "",
            "body": streamfield(
                [
                    ("heading", "Why it wakes you"),
                    ("paragraph", rich_text("<p>Lying still for hours can stiffen a neck.</p>")),
                ]
            ),
        }
    )


def add_url(article_index) -> str:
    return reverse("wagtailadmin_pages:add", args=["blog", "articlepage", article_index.pk])


def errors_shown(response) -> str:
    """Every message the editor shows beside the fields, the StreamField's included."""
    form = response.context["form"]
    messages = []
    for errors in form.errors.values():
        for error in errors.as_data():
            messages += get_error_json_data(error).get("messages", [])
    return " ".join(messages)


@pytest.mark.django_db
def test_a_draft_without_author_review_or_references_can_be_saved(admin_client, article_index):
    response = admin_client.post(add_url(article_index), incomplete_form_data())

    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="neck-pain-at-night")
    assert not page.live
    assert page.author is None and page.last_reviewed is None


@pytest.mark.django_db
def test_publishing_it_is_refused_and_says_what_is_missing(admin_client, article_index):
    response = admin_client.post(add_url(article_index), {**incomplete_form_data(), **PUBLISH})

    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="neck-pain-at-night").exists()
    shown = errors_shown(response)
    for message in [
        publishing.MISSING_AUTHOR,
        publishing.MISSING_REVIEWER,
        publishing.MISSING_REVIEW_DATE,
        publishing.MISSING_REFERENCES,
    ]:
        assert message in shown, message


@pytest.mark.django_db
def test_a_live_article_keeps_its_published_version_when_its_draft_loses_its_reviewer(
    admin_client, article
):
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = incomplete_form_data(title=article.title, slug=article.slug)

    assert admin_client.post(edit_url, data).status_code == 302
    response = admin_client.post(edit_url, {**data, **PUBLISH})

    assert response.status_code == 200
    assert publishing.MISSING_REVIEWER in errors_shown(response)
    article.refresh_from_db()
    assert article.live and article.reviewed_by is not None
    assert article.get_latest_revision_as_object().reviewed_by is None


@pytest.mark.django_db
def test_scheduling_an_incomplete_article_in_the_editor_is_refused(admin_client, article_index):
    data = incomplete_form_data()
    go_live = timezone.now() + dt.timedelta(days=2)
    data["go_live_at"] = timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")

    response = admin_client.post(add_url(article_index), {**data, **PUBLISH})

    assert response.status_code == 200
    assert publishing.MISSING_AUTHOR in errors_shown(response)
    assert not ArticlePage.objects.filter(slug="neck-pain-at-night").exists()


def _draft(article_index, **fields) -> ArticlePage:
    """An unpublished article with no author, reviewer, review date or references."""
    page = ArticlePage(
        title="Shoulder blades",
        slug="shoulder-blades",
        summary="Tension between the shoulder blades.",
        body='[{"type": "paragraph", "value": "<p>Text.</p>"}]',
        live=False,
        **fields,
    )
    article_index.add_child(instance=page)
    return page


@pytest.mark.django_db
def test_the_model_refuses_to_publish_an_incomplete_revision(article_index):
    page = _draft(article_index)
    revision = page.save_revision()

    with pytest.raises(ValidationError) as refused:
        revision.publish()

    assert set(refused.value.message_dict) == {"author", "reviewed_by", "last_reviewed", "body"}
    page.refresh_from_db()
    assert not page.live


@pytest.mark.django_db
def test_a_scheduled_incomplete_article_is_not_published_when_its_time_comes(article_index):
    page = _draft(article_index)
    go_live = timezone.now() + dt.timedelta(days=1)
    page.go_live_at = go_live
    # Scheduled by a route that skipped every check (an import, or data edited since).
    revision = page.save_revision(approved_go_live_at=go_live)

    with time_machine.travel(go_live + dt.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)

    page.refresh_from_db()
    revision.refresh_from_db()
    assert not page.live
    assert revision.approved_go_live_at is None  # not tried again at the next run
    assert PageLogEntry.objects.filter(page=page, action=publishing.PUBLISH_REFUSED_ACTION).exists()


@pytest.mark.django_db
def test_the_scheduler_still_publishes_the_complete_articles(article_index):
    incomplete = _draft(article_index)
    complete = make_article(index=article_index, title="Complete", topics=[])
    complete.unpublish()
    go_live = timezone.now() + dt.timedelta(days=1)
    for page in (incomplete, complete):
        page.go_live_at = go_live
        page.save_revision(approved_go_live_at=go_live)

    with time_machine.travel(go_live + dt.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)

    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.live and not incomplete.live


@pytest.mark.django_db
def test_a_live_article_cannot_be_saved_without_what_publishing_needs(article):
    article.reviewed_by = None
    with pytest.raises(ValidationError) as refused:
        article.save()
    assert "reviewed_by" in refused.value.message_dict


@pytest.mark.django_db
def test_no_route_publishes_a_review_date_still_to_come(article):
    """The editor refuses it at the field; a script, an import or the admin API, which skip
    the editor, meet the same rule in the model."""
    article.last_reviewed = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        article.save()
    assert refused.value.message_dict["last_reviewed"] == [publishing.FUTURE_REVIEW_DATE]
    with pytest.raises(ValidationError):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.last_reviewed <= timezone.localdate()


@pytest.mark.django_db
def test_a_new_article_is_written_by_the_practitioner_creating_it(client, article_index):
    user = staff_member("writer", is_superuser=True)
    practitioner = practitioner_create(name="Ana Writer", user=user)
    client.force_login(user)

    response = client.get(add_url(article_index))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["author"] == practitioner.profile.pk
    assert form["author"].value() == practitioner.profile.pk


@pytest.mark.django_db
def test_a_staff_member_who_is_not_a_practitioner_gets_no_author(admin_client, article_index):
    response = admin_client.get(add_url(article_index))
    assert response.context["form"]["author"].value() is None


@pytest.mark.django_db
def test_an_article_shows_both_tiers_and_the_disclaimer_without_asking(client, soup, article_index):
    article = make_article(index=article_index, title="Sitting all day", topics=[])
    assert {b.block_type for b in article.body}.isdisjoint({"seek_care", "callout"})

    page = soup(client.get(article.url))

    box = page.select_one(".article__body .seek-care")
    assert box is not None
    text = box.get_text(" ", strip=True)
    assert EMERGENCY.title in text and DOCTOR_SOON.title in text
    disclaimer = page.select_one(".article__disclaimer a")
    assert disclaimer["href"] == "/medical-disclaimer/"
    # The sources stay last, after the box and the disclaimer.
    body = page.select_one(".article__body")
    assert body.find_all(recursive=False)[-1].name == "section"
    assert "references" in body.find_all(recursive=False)[-1]["class"]


def test_every_block_in_the_editor_menu_has_a_name_in_words():
    labels = {name: block.label for name, block in BaseStreamBlock().child_blocks.items()}

    assert labels == {
        "heading": "Section heading",
        "paragraph": "Paragraph",
        "image": "Image",
        "quote": "Quote",
        "callout": "Highlighted box",
        "seek_care": "When to see a doctor",
        "faq": "FAQ",
        "references": "References",
        "booking_cta": "Call to book",
        "practitioner": "Practitioner profile",
    }


@pytest.mark.django_db
def test_the_editor_block_menu_shows_those_names(admin_client, article_index):
    menu = admin_client.get(add_url(article_index)).content.decode()
    assert "Call to book" in menu and "When to see a doctor" in menu and "FAQ" in menu
