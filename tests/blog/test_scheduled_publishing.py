"""Scheduled articles go live from the task worker within a minute, and every page listing
them shows them at once (the page cache is emptied by the publish)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from blog import tasks
from tests.clock import local
from tests.factories.articles import article_form_data

TASK = "blog.tasks.publish_scheduled_pages"
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def database_queue(settings, monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def waiting():
    return list(DBTaskResult.objects.filter(task_path=TASK, status="READY"))


@pytest.mark.django_db
def test_a_scheduled_article_goes_live_within_a_minute_on_every_listing(
    database_queue, client, admin_client, site
):
    go_live = local(MONDAY, 9, 30)
    data = article_form_data(title="Coming on Monday", slug="coming-on-monday")
    data["go_live_at"] = "2026-03-02 09:30"
    data["last_reviewed"] = "2026-02-20"  # reviewed before the day it is written (no later)
    with time_machine.travel(local(MONDAY, 8), tick=False):
        admin_client.post(
            reverse("wagtailadmin_pages:add", args=["blog", "articlepage", site.index.pk]),
            {**data, "action-publish": "action-publish"},
        )
        call_command("schedule_periodic_tasks", verbosity=0)
        # The home page shows the three newest: the tests' own articles are dated today.
        listings = ("/articles/", "/articles/feed/", "/sitemap.xml")
        for url in listings:  # kept by the page cache for anonymous visitors
            assert b"coming-on-monday" not in client.get(url).content, url

    [run] = waiting()
    with time_machine.travel(go_live + dt.timedelta(seconds=50), tick=False):
        run_worker()  # the run queued for 08:01, and each one after it, now due
        for url in listings:
            assert b"coming-on-monday" in client.get(url).content, url
        [next_run] = waiting()
        assert next_run.run_after == go_live + dt.timedelta(seconds=50, minutes=1)
    assert run.pk != next_run.pk


@pytest.mark.django_db
def test_a_failed_run_still_queues_the_next(database_queue, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(tasks, "call_command", broken)
    with time_machine.travel(local(MONDAY, 9), tick=False):
        tasks.publish_scheduled_pages.enqueue()
        run_worker()
        [run] = waiting()
        assert run.run_after == local(MONDAY, 9, 1)
