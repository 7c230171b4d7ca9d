"""The practitioner's publishing in Wagtail's admin: drafts, publishing, scheduling, revisions."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import ArticlePage
from tests.factories import article_form_data


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
