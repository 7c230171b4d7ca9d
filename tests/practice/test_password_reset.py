"""The admin's "Forgotten password?": limited per address and per account, the email sent
by the task worker, and the same work in the request for known and unknown accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.tasks import default_task_backend
from django.test.utils import CaptureQueriesContext

from practice.password_reset import send_password_reset

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def ask(client, email, address="203.0.113.5"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "reception", "reception@example.com", "right password 42", is_staff=True
    )


@pytest.fixture
def queued(settings):
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    return default_task_backend.results


@pytest.mark.django_db
def test_known_and_unknown_accounts_get_the_same_answer_and_the_same_one_enqueue(
    client, staff_user, queued
):
    answers, queries = [], []
    for n, email in enumerate(["reception@example.com", "nobody@example.com"]):
        with CaptureQueriesContext(connection) as captured:
            answers.append(ask(client, email, address=f"198.51.100.{n + 1}"))
        queries.append([q["sql"] for q in captured.captured_queries])
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert len(queries[0]) == len(queries[1])  # the same work: no account is looked up
    assert not any("auth_user" in sql for sql in queries[0] + queries[1])
    assert [r.kwargs for r in queued] == [
        {"email": "reception@example.com"},
        {"email": "nobody@example.com"},
    ]
    assert mail.outbox == []  # nothing sent from the request


@pytest.mark.django_db
def test_the_worker_sends_the_link_to_a_known_account_and_nothing_for_an_unknown_one(
    staff_user, settings
):
    send_password_reset.call(email="nobody@example.com")
    assert mail.outbox == []
    send_password_reset.call(email="reception@example.com")
    [email] = mail.outbox
    assert email.to == ["reception@example.com"]
    assert f"{settings.SITE_URL}/admin/password_reset/confirm/" in email.body


@pytest.mark.django_db
def test_resets_are_limited_per_account_from_any_address(client, staff_user, queued, settings):
    for n in range(settings.PASSWORD_RESETS_PER_ACCOUNT + 4):
        assert ask(client, "reception@example.com", f"198.51.100.{n + 1}").status_code == 302
    assert len(queued) == settings.PASSWORD_RESETS_PER_ACCOUNT


@pytest.mark.django_db
def test_resets_are_limited_per_address_whatever_the_account(client, staff_user, queued, settings):
    for n in range(settings.PASSWORD_RESETS_PER_ADDRESS + 4):
        assert ask(client, f"person{n}@example.com").status_code == 302
    assert len(queued) == settings.PASSWORD_RESETS_PER_ADDRESS
