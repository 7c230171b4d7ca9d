"""The practitioner's calendar feed: what it carries, and who sees and renews its address."""

import icalendar
import pytest
from django.urls import reverse

from tests.factories.practice import practitioner

from .shared import MARKER


@pytest.mark.django_db
def test_the_calendar_feed_parses_and_carries_initials_only(client, appointment, admin_client):
    rosa = practitioner()
    feed = client.get(reverse("practitioner_calendar", args=[rosa.calendar_token]))
    calendar = icalendar.Calendar.from_ical(feed.content)
    [event] = calendar.walk("VEVENT")
    assert feed["Content-Type"].startswith("text/calendar")
    assert str(event["summary"]) == "Follow-up treatment: NQ"
    assert event.decoded("dtstart") == appointment.starts_at
    assert MARKER.encode() not in feed.content and b"Nora" not in feed.content

    old = rosa.calendar_token
    admin_client.post(reverse("booking_staff:renew_calendar", args=[rosa.pk]))
    rosa.refresh_from_db()
    assert rosa.calendar_token != old
    assert client.get(reverse("practitioner_calendar", args=[old])).status_code == 404
    assert (
        client.get(reverse("practitioner_calendar", args=[rosa.calendar_token])).status_code == 200
    )


@pytest.mark.django_db
def test_practitioners_find_their_own_calendar_address_and_nobody_elses(rosa_client, rosa):
    own = practitioner()
    other = practitioner("omar-haddad")
    mine = rosa_client.get(reverse("booking_practitioner:inspect", args=[own.pk])).content.decode()
    theirs = rosa_client.get(
        reverse("booking_practitioner:inspect", args=[other.pk])
    ).content.decode()
    assert own.calendar_token in mine and "Make a new address" in mine
    assert other.calendar_token not in theirs
    rosa_client.post(reverse("booking_staff:renew_calendar", args=[own.pk]))
    own.refresh_from_db()
    assert own.calendar_token not in mine
