"""The Patients and Waiting-list exports carry a row of contact details per record (they
wrote empty rows), and the Waiting list's never the answers."""

import csv
import io

import pytest

from booking.phone import phone_display
from tests.booking.waitlist.people import join
from tests.clock import local, next_weekday
from tests.factories.bookings import book, details


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


@pytest.mark.django_db
def test_the_patients_csv_has_a_filled_row_per_patient(admin_client):
    patient = book(
        start=local(next_weekday(0), 10), patient=details(phone="+1 555 010 0199")
    ).patient
    [heading, row] = rows(admin_client.get("/admin/bookings/patients/?export=csv"))
    assert heading == ["First name", "Last name", "Email", "Phone"]
    # The phone as the pages write it, in the practice's national format.
    assert row == [patient.first_name, patient.last_name, patient.email, "(555) 010-0199"]


@pytest.mark.django_db
def test_the_waiting_list_csv_has_a_filled_row_per_entry_without_answers(admin_client):
    entry = join()
    [heading, row] = rows(admin_client.get("/admin/bookings/waiting-list/?export=csv"))
    assert heading[:5] == ["First name", "Last name", "Email", "Phone", "Service"]
    assert row[:5] == [
        entry.patient.first_name,
        entry.patient.last_name,
        entry.patient.email,
        phone_display(entry.patient.phone),
        "Follow-up treatment",
    ]
    assert all(cell for cell in row[:10])
    assert not any("pain" in h.lower() or "answer" in h.lower() for h in heading)
