"""One way of writing times: the practice's locale, set in one place, decides how the
admin, the public site and the emails write them (12-hour in the US, 24-hour in the UK)."""

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking import emails
from booking.models import TimeOff
from booking.staff.agenda.panel import AgendaPanel
from practice.formats import picker_formats
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .shared import TUESDAY, inspect_url

# Omar's appointment at 2:30 PM, 50 minutes; the tests' opening hours are 8:30 to 5:30.
US = {
    "card": "2:30\N{EN DASH}3:20 PM",
    "hour": "2 PM",
    "time": "2:30 PM",
    "footer": "8:30 AM\N{EN DASH}5:30 PM",
}
UK = {
    "card": "14:30\N{EN DASH}15:20",
    "hour": "14:00",
    "time": "14:30",
    "footer": "08:30\N{EN DASH}17:30",
}


def switch_locale(settings, language_code: str) -> None:
    """What changing ``LANGUAGE_CODE`` in practice/settings/base.py does: the settings it
    derives follow it there."""
    settings.LANGUAGE_CODE = language_code
    settings.WAGTAIL_DATETIME_FORMAT, settings.WAGTAIL_TIME_FORMAT = picker_formats(language_code)
    settings.WAGTAILADMIN_PERMITTED_LANGUAGES = [(language_code, "English")]


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text_of(page) -> str:
    return " ".join(page.get_text(" ").split())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language_code", "expected", "other"), [("en-us", US, UK), ("en-gb", UK, US)]
)
def test_the_locale_decides_how_every_surface_writes_times(
    settings, front_desk_client, soup, site, language_code, expected, other
):
    switch_locale(settings, language_code)
    appointment = book(
        start=local(TUESDAY, 14, 30),
        who=practitioner("omar-haddad"),
        patient=details(first_name="Ada", last_name="Lovelace", email="ada@example.com"),
    )
    TimeOff.objects.create(
        practitioner=practitioner("rosa-lind"),
        starts_at=local(TUESDAY, 14, 30),
        ends_at=local(TUESDAY, 15, 20),
        reason="Course",
    )

    # The admin: the agenda's cards and hour marks, the dashboard's panel, the appointment's
    # page, the time off list.
    agenda = soup(
        front_desk_client.get(
            reverse("booking_staff:agenda"), {"view": "day", "date": TUESDAY.isoformat()}
        )
    )
    cards = [text_of(li) for li in agenda.select("li.agenda-block--appointment")]
    assert [card.split(" Follow-up")[0] for card in cards] == [expected["card"]]
    assert expected["hour"] in [text_of(mark) for mark in agenda.select(".agenda-hour")]
    panel = text_of(soup_of(AgendaPanel(now=local(TUESDAY, 8)).render_html({})))
    assert f"{expected['card']} Follow-up treatment with Omar Haddad" in panel
    page = text_of(soup(front_desk_client.get(inspect_url(appointment))))
    assert f"{TUESDAY.year}, {expected['time']} (50 minutes)" in page
    assert other["time"] not in page
    time_off = text_of(soup(front_desk_client.get(reverse("booking_timeoff:index"))))
    assert f"{expected['time']} to " in time_off and other["time"] not in time_off

    # The public site: the footer's opening hours and the patient's own appointment page.
    hours = soup(front_desk_client.get(site.home.url)).select_one(".opening-hours")
    footer = " ".join(hours.get_text().split())
    assert expected["footer"] in footer and other["footer"] not in footer
    own_page = text_of(soup(front_desk_client.get(emails.manage_url(appointment))))
    assert f"{expected['time']} to " in own_page and other["time"] not in own_page

    # The emails: the patient's confirmation (text and HTML), reminder, the practice's notice.
    confirmation = emails.patient_email(appointment, "confirmed")
    for body in (
        confirmation.body,
        confirmation.alternatives[0][0],
        emails.patient_email(appointment, "reminder").body,
        emails.practitioner_email(appointment, "confirmed").body,
    ):
        assert f"{expected['time']} to " in body and other["time"] not in body


@pytest.mark.django_db
@pytest.mark.parametrize("language_code", ["en-us", "en-gb"])
def test_the_export_keeps_times_a_spreadsheet_reads_whatever_the_locale(
    settings, admin_client, appointment, language_code
):
    """A CSV is read by programs: ISO 8601 with the offset, "2027-01-18 10:00:00-05:00",
    sorts as text and needs no guess about AM, PM or which number is the day."""
    switch_locale(settings, language_code)
    response = admin_client.get(reverse("booking_appointment:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [row] = [row for row in csv.reader(io.StringIO(text)) if "Nora Quill" in row]
    assert row[0] == str(appointment.local_starts_at)
    assert dt.datetime.fromisoformat(row[0]) == appointment.starts_at
    assert "AM" not in row[0] and "PM" not in row[0]
