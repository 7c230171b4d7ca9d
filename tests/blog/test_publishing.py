"""The practitioner's publishing in Wagtail's admin: drafts, publishing, scheduling, revisions."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import ArticlePage
from tests.factories.articles import article_form_data


@pytest.fixture
def edit_url(article):
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


@pytest.mark.django_db
def test_saving_a_draft_leaves_the_published_article_alone(admin_client, article, edit_url):
    live_title = article.title
    data = article_form_data(title="A draft title", slug=article.slug)

    response = admin_client.post(edit_url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == live_title
    assert article.has_unpublished_changes
    assert article.get_latest_revision_as_object().title == "A draft title"
    assert b"A draft title" not in admin_client.get(article.url).content


@pytest.mark.django_db
def test_publishing_from_the_editor_updates_the_site_and_keeps_a_revision(
    client, admin_client, article, edit_url
):
    revisions_before = article.revisions.count()
    data = article_form_data(title="A newly published title", slug=article.slug)

    admin_client.post(edit_url, {**data, "action-publish": "action-publish"})

    article.refresh_from_db()
    assert article.live and not article.has_unpublished_changes
    assert article.revisions.count() == revisions_before + 1
    assert b"A newly published title" in client.get(article.url).content
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    assert history.status_code == 200


@pytest.mark.django_db
def test_a_new_article_scheduled_for_later_goes_live_at_that_time(client, admin_client, site):
    index = site.index
    go_live = timezone.now() + dt.timedelta(days=2)
    data = article_form_data(title="Coming next week", slug="coming-next-week")
    data["go_live_at"] = timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")

    admin_client.post(
        reverse("wagtailadmin_pages:add", args=["blog", "articlepage", index.pk]),
        {**data, "action-publish": "action-publish"},
    )

    page = ArticlePage.objects.get(slug="coming-next-week")
    assert not page.live
    assert client.get("/articles/coming-next-week/").status_code == 404
    assert b"Coming next week" not in client.get("/articles/").content

    with time_machine.travel(go_live + dt.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)

    page.refresh_from_db()
    assert page.live
    assert client.get("/articles/coming-next-week/").status_code == 200
    assert b"Coming next week" in client.get("/articles/").content


@pytest.mark.django_db
def test_unpublishing_removes_an_article_from_the_site(client, article):
    url = article.url
    article.unpublish()
    assert client.get(url).status_code == 404
    assert article.title.encode() not in client.get("/articles/feed/").content


@pytest.mark.django_db
def test_a_review_date_still_to_come_is_refused(admin_client, article, edit_url):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = article_form_data(title=article.title, slug=article.slug)
    data["last_reviewed"] = tomorrow.isoformat()
    for action in ({}, {"action-publish": "action-publish"}):
        response = admin_client.post(edit_url, {**data, **action})
        assert response.status_code == 200
        assert "The review date cannot be in the future." in response.content.decode()
    article.refresh_from_db()
    assert article.last_reviewed != tomorrow
    data["last_reviewed"] = timezone.localdate().isoformat()
    assert admin_client.post(edit_url, data).status_code == 302


@pytest.mark.django_db
def test_a_new_article_starts_with_the_call_to_book_which_can_be_removed(admin_client, site):
    add = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", site.index.pk])
    form = admin_client.get(add).context["form"]
    [block] = form.initial["body"]
    assert block.block_type == "booking_cta"
    assert block.value["service"].for_new_patients
    # What is posted is kept as it is: the editor's own call (a follow-up), not the first one.
    data = article_form_data(title="Its own call", slug="its-own-call")
    admin_client.post(add, data)
    saved = ArticlePage.objects.get(slug="its-own-call").get_latest_revision_as_object()
    calls = [b.value["service"].slug for b in saved.body if b.block_type == "booking_cta"]
    assert calls == ["follow-up-treatment"]
