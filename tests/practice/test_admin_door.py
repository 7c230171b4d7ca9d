"""The admin's login: failures lock the (username, address) pair and the address, never the
username alone; the username is slowed down instead, and its holder is told by email."""

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from practice.login_throttle import client_ip


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
def test_five_failures_lock_the_username_and_address_pair_with_a_clear_message(client, staff_user):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        for _ in range(4):
            assert attempt(client, "reception", "wrong").status_code == 200
        locked = attempt(client, "reception", "wrong")
        assert locked.status_code == 429
        assert b"Sign-in paused for 30 minutes" in locked.content
        # The right password does not help from this address while it is locked.
        clock.shift(61)  # past the username's own short wait
        assert attempt(client, "reception", "right password 42").status_code == 429


@pytest.mark.django_db
def test_failures_from_elsewhere_do_not_lock_the_desk_out_they_slow_the_username_down(
    client, staff_user
):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        for n in range(5):  # a stranger, five wrong passwords, from five addresses
            attempt(client.__class__(), "reception", "wrong", f"198.51.100.{n + 1}")
        desk = client.__class__()
        slowed = attempt(desk, "reception", "right password 42")
        assert slowed.status_code == 200
        assert "please wait 60 seconds" in slowed.content.decode()
        clock.shift(61)
        assert attempt(desk, "reception", "right password 42").status_code == 302


@pytest.mark.django_db
def test_the_account_holder_is_emailed_once_when_wrong_passwords_pile_up(client, staff_user):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        for n in range(7):
            attempt(client.__class__(), "reception", "wrong", f"198.51.100.{n + 1}")
            clock.shift(61)
    [email] = mail.outbox
    assert email.to == ["reception@example.com"]
    assert "wrong passwords were tried" in email.body and "not locked" in email.body
    assert "198.51.100" not in email.body


@pytest.mark.django_db
def test_no_email_for_a_username_nobody_holds(client, staff_user):
    for n in range(6):
        attempt(client.__class__(), "nobody", "wrong", f"198.51.100.{n + 1}")
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_address_is_locked_too_whatever_the_username(client, staff_user):
    for n in range(5):
        attempt(client, f"nobody{n}", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 429
    other = client.__class__()
    assert attempt(other, "reception", "right password 42", "198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_an_ipv6_address_is_locked_by_its_64_network(client, staff_user):
    for n in range(5):
        attempt(client, f"nobody{n}", "wrong", f"2001:db8:1:2::{n + 1}")
    blocked = attempt(client, "reception", "right password 42", "2001:db8:1:2:ffff::1")
    assert blocked.status_code == 429
    other = client.__class__()
    assert attempt(other, "reception", "right password 42", "2001:db8:1:3::1").status_code == 302


def test_axes_counts_an_ipv6_address_as_its_64_network():
    class Request:
        META = {"REMOTE_ADDR": "2001:db8:1:2:aaaa:bbbb:cccc:dddd"}

    assert client_ip(Request) == "2001:db8:1:2::"


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, staff_user):
    for _ in range(3):
        attempt(client, "reception", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 302
    client.logout()
    for _ in range(3):
        attempt(client, "reception", "wrong")
    assert attempt(client, "reception", "right password 42").status_code == 302
