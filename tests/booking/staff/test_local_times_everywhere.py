"""Every admin page and export writes times on the practice's clock (TIME_ZONE), never in
UTC: a visit at 9:00 AM local, a waiting-list entry made at 9:00 AM and a note written at
9:00 AM read "9:00" everywhere they appear, and the UTC hour of that moment nowhere. (The
agenda's week is left out: the tests' Friday hours end at 2:00 PM, which the UTC hour of
9:00 AM in winter spells too; its cards are the day view's.)"""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from booking import notes
from booking.models import Appointment, NoteKind, TimeOff, WaitlistEntry
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .shared import MONDAY

NINE = local(MONDAY, 9)


def _utc_clock(moment: dt.datetime) -> list[str]:
    utc = moment.astimezone(dt.UTC)
    return [f"{utc:%-I}:{utc:%M} {utc:%p}", f"{utc:%H}:{utc:%M}"]


@pytest.fixture
def nine_oclock(db):
    """A visit at 9:00 AM on MONDAY, its note, the patient's waiting-list entry made at
    9:00 AM the week before, and the rest of that week off (no free time to write 2:00 PM)."""
    with time_machine.travel(NINE - dt.timedelta(days=7), tick=False):
        visit = book(
            start=NINE, patient=details(first_name="Nina", last_name="Nine", email="n@example.com")
        )
        entry = WaitlistEntry.objects.create(
            patient=visit.patient,
            service=visit.service,
            practitioner=None,
            earliest_date=MONDAY,
            latest_date=MONDAY,
            weekdays=[0],
            created_at=NINE - dt.timedelta(days=7),
            expires_at=NINE,
        )
        notes.appointment_note_add(
            appointment=visit, author=None, text="Arrived early.", kind=NoteKind.DESK
        )
    TimeOff.objects.create(
        practitioner=practitioner(),
        starts_at=local(MONDAY, 10),
        ends_at=local(MONDAY + dt.timedelta(days=6), 18),
    )
    return visit, entry


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_every_admin_page_and_export_shows_the_practice_clock(admin_client, nine_oclock):
    visit, entry = nine_oclock
    time_off = TimeOff.objects.get()
    agenda = reverse("booking_staff:agenda")
    pages = {
        "appointments": reverse("booking_appointment:index"),
        "appointment": reverse("booking_appointment:inspect", args=[visit.pk]),
        "patient": reverse("booking_patient:inspect", args=[visit.patient_id]),
        "waiting-list entry": reverse("booking_waitlist:inspect", args=[entry.pk]),
        "agenda, day": f"{agenda}?view=day&date={MONDAY.isoformat()}&practitioner=all",
        "reschedule": reverse("booking_staff:reschedule", args=[visit.pk]),
        "cancel": reverse("booking_staff:cancel", args=[visit.pk]),
        "time off": reverse("booking_timeoff:index"),
        "time off page": reverse("booking_timeoff:inspect", args=[time_off.pk]),
    }
    never = _utc_clock(NINE)
    with time_machine.travel(NINE - dt.timedelta(days=1), tick=False):
        for name, url in pages.items():
            response = admin_client.get(url)
            assert response.status_code == 200, name
            text = _text(response)
            wanted = "10:00" if name.startswith("time off") else "9:00"
            assert wanted in text, name
            assert not [utc for utc in never if utc in text], (name, never)

        index = reverse("booking_appointment:index")
        csv_text = _body(admin_client.get(index, {"export": "csv"})).decode("utf-8-sig")
        assert f"{MONDAY.isoformat()} 09:00:00" in csv_text
        assert not [utc for utc in never if utc in csv_text]

        xlsx = _body(admin_client.get(index, {"export": "xlsx"}))
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        rows = list(sheet.values)
        starts = rows[0].index("Starts (local time)")
        [row] = [r for r in rows[1:] if "Nina Nine" in r]
        assert row[starts] == NINE.replace(tzinfo=None)
        assert row[rows[0].index("First visit")] in ("Yes", "No")

        # The waiting list's files: joined at 9:00 AM the week before, on the same clock.
        waiting = reverse("booking_waitlist:index")
        joined = f"{(MONDAY - dt.timedelta(days=7)).isoformat()} 09:00:00"
        csv_text = _body(admin_client.get(waiting, {"export": "csv"})).decode("utf-8-sig")
        assert joined in csv_text and "Any practitioner" in csv_text
        assert not [utc for utc in never if utc in csv_text]
        xlsx = _body(admin_client.get(waiting, {"export": "xlsx"}))
        [heading, row] = list(openpyxl.load_workbook(io.BytesIO(xlsx)).active.values)
        assert row[heading.index("Joined")] == (NINE - dt.timedelta(days=7)).replace(tzinfo=None)
        assert row[heading.index("Urgent")] == "No"
        assert row[heading.index("With")] == "Any practitioner"
    assert Appointment.objects.count() == 1
