"""Reports → Health answers viewed: every look at a patient's answers, apart from the page
edits, filtered by staff member, patient and date, exported for an audit; the owner's."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from booking.groups import FRONT_DESK
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.staff import staff_member as staff

from .shared import MONDAY, TUESDAY, inspect_url

URL = reverse("booking_staff:intake_views")


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.mark.django_db
def test_views_of_health_answers_have_a_report_of_their_own(rosa_client, admin_client, appointment):
    other = book(start=local(TUESDAY, 10), patient=details(first_name="Olga", last_name="Other"))
    assert rosa_client.get(inspect_url(appointment)).status_code == 200
    assert rosa_client.get(inspect_url(other)).status_code == 200

    page = admin_client.get(URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nora Quill" in text and "Olga Other" in text and "rosa-test" in text.lower()
    assert "QUOKKA-INTAKE-MARKER" not in text  # who and when, never the answers

    by_patient = admin_client.get(URL, {"patient": "nora q"}).content.decode()
    assert "Nora Quill" in by_patient and "Olga Other" not in by_patient
    desk = Client()
    desk.force_login(staff("desk", FRONT_DESK))
    desk.get(inspect_url(appointment))  # front desk's look: not at the answers
    rosa_id = rosa_client.session["_auth_user_id"]
    by_rosa = admin_client.get(URL, {"user": rosa_id}).content.decode()
    assert "Nora Quill" in by_rosa
    admin_client.get(inspect_url(other))  # the owner looks too
    admin_id = admin_client.session["_auth_user_id"]
    by_owner = admin_client.get(URL, {"user": admin_id, "patient": "nora"}).content.decode()
    assert "Nora Quill" not in by_owner.split("<tbody")[-1]
    later = admin_client.get(
        URL, {"timestamp_from": (MONDAY.replace(year=MONDAY.year + 1)).isoformat()}
    ).content.decode()
    assert "Nora Quill" not in later.split("<tbody")[-1]

    exported = _body(admin_client.get(URL, {"export": "csv"}))
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["When (local time)", "Staff member", "Patient", "Appointment", "Seen on"]
    assert {row[2] for row in rows[1:]} == {"Nora Quill", "Olga Other"}
    assert all(row[0][:4].isdigit() and row[1] for row in rows[1:])  # when, and who

    assert desk.get(URL).status_code in (302, 403)
