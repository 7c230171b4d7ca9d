"""One guess limit for every private link: manage, "sooner", the waiting list's entry and
offer links, and the practitioners' calendar feed. Only links that open nothing count, a
link that opens something is never refused, and IPv6 addresses count by their /64."""

import uuid

import pytest
from django.urls import reverse

from booking.ratelimit import counted_address
from booking.tokens import entry_token, new_secret, offer_token
from tests.booking.waitlist.people import join
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token
from tests.factories.practice import practitioner

MONDAY = next_weekday(0)
LIMIT = 5


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.TOKEN_GUESSES_PER_HOUR = LIMIT


def wrong_links() -> list[str]:
    """One wrong link of each kind (well-formed but naming nothing, so only a lookup tells)."""
    nothing = uuid.uuid4()
    return [
        reverse("booking:manage", args=[new_secret()]),
        reverse("booking:waitlist_move", args=[new_secret()]),
        reverse("booking:calendar_file", args=[new_secret()]),
        reverse("booking:waitlist_entry", args=[entry_token(nothing)]),
        reverse("booking:waitlist_claim", args=[offer_token(nothing)]),
        reverse("practitioner_calendar", args=["not-a-calendar-token"]),
    ]


@pytest.mark.django_db
def test_wrong_links_of_every_kind_count_against_one_limit(client):
    links = wrong_links()
    answers = [client.get(links[i % len(links)]).status_code for i in range(LIMIT)]
    assert answers == [404] * LIMIT
    for link in links:  # past the limit, a wrong link of any kind is refused
        assert client.get(link).status_code == 429, link
    assert client.get(links[0], REMOTE_ADDR="198.51.100.7").status_code == 404


@pytest.mark.django_db
def test_a_valid_link_of_every_kind_opens_from_an_address_past_the_limit(client):
    appointment = book(start=local(MONDAY, 10))
    entry = join()
    for _ in range(LIMIT + 3):
        client.get(wrong_links()[0])
    assert client.get(wrong_links()[3]).status_code == 429
    valid = [
        reverse("booking:manage", args=[manage_token(appointment)]),
        reverse("booking:calendar_file", args=[manage_token(appointment)]),
        reverse("booking:waitlist_entry", args=[entry_token(entry.public_id)]),
        reverse("practitioner_calendar", args=[practitioner().calendar_token]),
    ]
    for link in valid:
        assert client.get(link).status_code == 200, link
    sooner = reverse("booking:waitlist_move", args=[manage_token(appointment)])
    assert client.get(sooner).status_code == 302
    # Opening valid links did not count: still refused after them, not more or less.
    assert client.get(wrong_links()[0]).status_code == 429


@pytest.mark.django_db
def test_ipv6_addresses_are_counted_by_their_64_network(client):
    wrong = wrong_links()[0]
    for host in range(1, LIMIT + 1):  # a new address inside one /64 for every guess
        assert client.get(wrong, REMOTE_ADDR=f"2001:db8:1:2::{host:x}").status_code == 404
    assert client.get(wrong, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert client.get(wrong, REMOTE_ADDR="2001:db8:1:3::1").status_code == 404  # next /64


def test_the_counted_address_is_the_ipv4_address_or_the_ipv6_64():
    assert counted_address("203.0.113.9") == "203.0.113.9"
    assert counted_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64"
    assert counted_address("::ffff:203.0.113.9") == "203.0.113.9"
    assert counted_address("fe80::1%eth0") == "fe80::/64"
    assert counted_address("") == ""
