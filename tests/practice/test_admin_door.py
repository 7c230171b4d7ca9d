"""The admin's login: a run of failures locks the account and the address for a while."""

import pytest
from django.contrib.auth import get_user_model


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "reception", "reception@example.com", "right password 42", is_staff=True
    )


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_message(client, staff_user):
    for _ in range(4):
        assert attempt(client, "reception", "wrong").status_code == 200
    locked = attempt(client, "reception", "wrong")
    assert locked.status_code == 429
    assert b"Sign-in paused for 30 minutes" in locked.content

    # The right password does not help while locked, from here or another address.
    assert attempt(client, "reception", "right password 42").status_code == 429
    assert attempt(client, "reception", "right password 42", "198.51.100.9").status_code == 429


@pytest.mark.django_db
def test_the_address_is_locked_too_whatever_the_username(client, staff_user):
    for n in range(5):
        attempt(client, f"nobody{n}", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 429
    other = client.__class__()
    assert attempt(other, "reception", "right password 42", "198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, staff_user):
    for _ in range(3):
        attempt(client, "reception", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 302
    client.logout()
    for _ in range(3):
        attempt(client, "reception", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 302
