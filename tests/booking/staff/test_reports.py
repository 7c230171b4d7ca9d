"""The staff's reports: bookings per source article."""

import datetime as dt

import pytest
from django.urls import reverse

from booking import services
from tests.clock import local
from tests.factories.bookings import book

from .shared import MONDAY


@pytest.mark.django_db
def test_the_article_report_counts_bookings_per_source_article(admin_client):
    from blog.models import ArticlePage

    first, second = ArticlePage.objects.live()[:2]
    made = [
        book(start=local(MONDAY, hour), source_page_id=source.pk if source else None)
        for hour, source in [(9, first), (11, first), (14, second), (16, None), (17, second)]
    ]
    services.appointment_cancel(appointment=made[-1], by_staff=True)
    today = dt.date.today()
    response = admin_client.get(
        reverse("booking_staff:article_report"),
        {
            "start": (today - dt.timedelta(days=1)).isoformat(),
            "end": (today + dt.timedelta(days=1)).isoformat(),
        },
    )
    rows = response.content.decode()
    assert rows.index(first.title) < rows.index(second.title)
    assert f"<td>{first.title}</td><td>2</td><td>0</td>" in rows
    assert f"<td>{second.title}</td><td>1</td><td>1</td>" in rows  # one kept, one cancelled
    # All articles together; the booking with no article is left out.
    assert '<th scope="row">Total</th><td>3</td><td>1</td>' in rows
