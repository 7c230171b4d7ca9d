"""Staff sessions end after 8 hours without a request; visitors' sessions are untouched."""

import pytest
import time_machine
from django.contrib.auth import get_user_model

from booking.models import Service


def sign_in(client):
    get_user_model().objects.create_user(
        "reception", "reception@example.com", "right password 42", is_staff=True, is_superuser=True
    )
    response = client.post(
        "/admin/login/", {"username": "reception", "password": "right password 42"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_staff_session_ends_after_8_hours_idle(client):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        sign_in(client)
        assert client.get("/admin/").status_code == 200
        assert client.session.get_expiry_age() == 8 * 3600
        clock.shift(8 * 3600 + 60)
        assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_staff_session_in_use_stays_open_past_8_hours(client):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        sign_in(client)
        for _ in range(4):  # a request every 3 hours: 12 hours in all
            clock.shift(3 * 3600)
            assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_visitors_booking_session_keeps_its_own_life(client, settings):
    service = Service.objects.get(slug="follow-up-treatment")
    assert client.post("/book/", {"service": service.pk}).status_code == 302
    assert client.session.keys()  # the booking's draft is in it
    assert "_session_expiry" not in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
