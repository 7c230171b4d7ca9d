"""The service catalogue: on the home page and the booking start page, managed in the admin."""

import pytest
from django.urls import reverse

from booking.models import Service


@pytest.mark.django_db
def test_home_page_lists_active_services_with_length_and_price(client, soup):
    Service.objects.filter(slug="electroacupuncture").update(is_active=False)
    page = soup(client.get("/"))
    cards = page.select("#services-heading ~ ul .card")
    text = " ".join(card.get_text(" ", strip=True) for card in cards)
    assert len(cards) == 2
    assert "New patient visit" in text and "75 minutes" in text and "$120" in text
    assert "electroacupuncture" not in text.lower()


@pytest.mark.django_db
def test_booking_start_preselects_the_service_asked_for(client, soup):
    asked = client.get(reverse("booking:start"), {"service": "follow-up-treatment"})
    assert asked["Location"] == reverse("booking:time")  # straight to its times
    page = soup(client.get(reverse("booking:start")))  # and chosen when the patient goes back
    checked = page.select('input[name="service"][checked]')
    assert [c["value"] for c in checked] == [
        str(Service.objects.get(slug="follow-up-treatment").pk)
    ]


@pytest.mark.django_db
def test_booking_start_ignores_unknown_or_inactive_services(client, soup):
    Service.objects.filter(slug="electroacupuncture").update(is_active=False)
    for slug in ["electroacupuncture", "<b>x</b>", ""]:
        page = soup(client.get(reverse("booking:start"), {"service": slug}))
        assert page.select('input[name="service"][checked]') == []
        assert len(page.select('input[name="service"]')) == 2


@pytest.mark.django_db
def test_staff_manage_services_in_the_wagtail_admin(admin_client):
    listing = admin_client.get(reverse("wagtailsnippets_booking_service:list"))
    assert listing.status_code == 200
    assert b"New patient visit" in listing.content
    response = admin_client.post(
        reverse("wagtailsnippets_booking_service:add"),
        {
            "name": "Cupping add-on",
            "slug": "cupping",
            "description": "Ten minutes of cupping after a treatment.",
            "duration_minutes": "10",
            "price": "20.00",
            "is_active": "on",
            "sort_order": "4",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(slug="cupping").duration_minutes == 10


@pytest.mark.django_db
def test_a_service_cannot_be_free_of_length_or_negative_in_price():
    from django.db import IntegrityError, transaction

    for values in ({"duration_minutes": 0, "price": 10}, {"duration_minutes": 30, "price": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Service.objects.create(
                name="Bad", slug=f"bad-{values['price']}", description="x", **values
            )
