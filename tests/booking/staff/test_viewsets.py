"""The schedule's viewsets in Wagtail's admin, seen by each role: appointments, patients,
working hours and time off; who sees what, and what the list and the export show."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking.access import VIEW_INTAKE_ACTION
from booking.models import Appointment, Service, TimeOff
from tests.booking.waitlist.people import join
from tests.booking.walk import slot_value
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .shared import MARKER, MONDAY, inspect_url


def body(response) -> bytes:
    """The body of a plain or a streamed (export) response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def intake_views(appointment):
    return ModelLogEntry.objects.filter(object_id=str(appointment.pk), action="booking.view_intake")


@pytest.mark.django_db
def test_front_desk_never_sees_intake_answers(front_desk_client, appointment):
    page = front_desk_client.get(inspect_url(appointment))
    listing = front_desk_client.get(reverse("booking_appointment:index"))
    searched = front_desk_client.get(reverse("booking_appointment:index"), {"q": MARKER})
    patient = front_desk_client.get(
        reverse("booking_patient:inspect", args=[appointment.patient_id])
    )
    exported = front_desk_client.get(reverse("booking_appointment:index"), {"export": "csv"})
    assert page.status_code == listing.status_code == patient.status_code == 200
    for content in (page.content, listing.content, patient.content, body(exported)):
        assert MARKER.encode() not in content
        assert b"Bleeding disorder" not in content
        assert b"Pain now" not in content and b"pain-chart" not in content
    assert b"Nora Quill" in listing.content and b"Flagged" in page.content
    assert b"Nora Quill" not in searched.content
    assert not intake_views(appointment).exists()


@pytest.mark.django_db
def test_the_practitioner_sees_their_own_patients_intake_and_the_view_is_logged(
    rosa_client, rosa, appointment, omars_appointment
):
    page = rosa_client.get(inspect_url(appointment))
    assert MARKER.encode() in page.content
    assert b"Blood thinners" in page.content
    [entry] = intake_views(appointment)
    assert entry.user == rosa and entry.data == {"where": "appointment page"}

    listing = rosa_client.get(reverse("booking_appointment:index")).content.decode()
    assert "Nora Quill" in listing and omars_appointment.patient.full_name not in listing
    assert rosa_client.get(inspect_url(omars_appointment)).status_code == 404


@pytest.mark.django_db
def test_intake_views_are_the_owners_report_not_in_site_history(
    admin_client, front_desk_client, appointment
):
    """Who read a patient's answers is the owner's audit, not a line among page edits that
    anyone who may see appointments can read in Site history."""
    admin_client.get(inspect_url(appointment))
    assert ModelLogEntry.objects.filter(action=VIEW_INTAKE_ACTION).exists()
    report = admin_client.get(reverse("booking_staff:intake_views"))
    assert b"Nora Quill" in report.content
    for who in (admin_client, front_desk_client):
        for name in ("site_history", "site_history_results"):
            history = who.get(reverse(f"wagtailadmin_reports:{name}"))
            assert history.status_code == 200
            assert b"Viewed the intake answers" not in history.content
    # Still behind the admin's sign-in, as Wagtail's own page is.
    assert Client().get(reverse("wagtailadmin_reports:site_history")).status_code == 302


@pytest.mark.django_db
def test_the_list_filters_searches_and_paginates(admin_client, appointment, omars_appointment):
    index = reverse("booking_appointment:index")
    by_practitioner = admin_client.get(index, {"practitioner": omars_appointment.practitioner_id})
    flagged = admin_client.get(index, {"flagged": "true"})
    by_date = admin_client.get(
        index, {"starts_at_from": MONDAY.isoformat(), "starts_at_to": MONDAY.isoformat()}
    )
    searched = admin_client.get(index, {"q": "nora@example"})
    assert b"Nora Quill" not in by_practitioner.content
    assert b"Nora Quill" in flagged.content
    assert omars_appointment.patient.full_name.encode() not in flagged.content
    assert b"Nora Quill" in by_date.content
    assert omars_appointment.patient.full_name.encode() not in by_date.content
    assert b"Nora Quill" in searched.content


@pytest.mark.django_db
def test_the_export_has_the_schedule_columns_and_no_health_information(admin_client, appointment):
    response = admin_client.get(reverse("booking_appointment:index"), {"export": "csv"})
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Starts (local time)",
        "Patient",
        "Email",
        "Phone",
        "Service",
        "Practitioner",
        "Status",
        "First visit",
        "Booked by staff",
        "Booked from",
    ]
    assert any("Nora Quill" in row for row in rows[1:])
    assert MARKER not in text and "bleeding" not in text.lower()
    xlsx = admin_client.get(reverse("booking_appointment:index"), {"export": "xlsx"})
    assert xlsx.status_code == 200 and body(xlsx)[:2] == b"PK"


@pytest.mark.django_db
def test_the_export_reads_the_rows_once_as_it_streams_and_keeps_the_filter(admin_client):
    with time_machine.travel(local(MONDAY, 8) - dt.timedelta(days=14)):
        kept = book(start=local(MONDAY, 10), patient=details(last_name="Kept"))
        other = book(start=local(MONDAY, 11), patient=details(last_name="Elsewhere"))
        Appointment.objects.filter(pk=other.pk).update(status="cancelled")
    with time_machine.travel(local(MONDAY, 8)):
        with CaptureQueriesContext(connection) as before_streaming:
            response = admin_client.get(
                reverse("booking_appointment:index"), {"export": "csv", "status": "confirmed"}
            )
        with CaptureQueriesContext(connection) as streaming:
            text = body(response).decode("utf-8-sig")

    def reads_appointments(queries):
        return [q for q in queries if 'FROM "booking_appointment"' in q["sql"]]

    # Nothing read before the first byte (Wagtail's listing counts every row first), then
    # one pass over the rows, a chunk at a time.
    assert response.streaming
    assert reads_appointments(before_streaming.captured_queries) == []
    assert len(reads_appointments(streaming.captured_queries)) == 1
    assert kept.patient.full_name in text and other.patient.full_name not in text


@pytest.mark.django_db
def test_appointments_are_never_edited_through_a_generic_form(admin_client, appointment):
    edit = admin_client.get(reverse("booking_appointment:edit", args=[appointment.pk]))
    add = admin_client.get(reverse("booking_appointment:add"))
    delete = admin_client.post(reverse("booking_appointment:delete", args=[appointment.pk]))
    assert {edit.status_code, add.status_code, delete.status_code} <= {302, 403}
    assert Appointment.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db
def test_time_off_that_ends_before_it_starts_is_refused(admin_client):
    response = admin_client.post(
        reverse("booking_timeoff:add"),
        {
            "practitioner": practitioner().pk,
            "starts_at": f"{MONDAY.isoformat()} 12:00",
            "ends_at": f"{MONDAY.isoformat()} 09:00",
            "reason": "Course",
        },
    )
    assert response.status_code == 200
    assert b"Time off must end after it starts" in response.content
    assert not TimeOff.objects.exists()


@pytest.mark.django_db
def test_time_off_added_in_the_admin_removes_public_slots_at_once(admin_client, client):
    rosa = practitioner()
    client.post(
        "/book/",
        {"service": Service.objects.get(slug="follow-up-treatment").pk, "practitioner": rosa.pk},
    )
    week = f"/book/time/?week={MONDAY.isoformat()}"
    ten = slot_value(local(MONDAY, 10), rosa.pk)
    assert ten in client.get(week).content.decode()
    admin_client.post(
        reverse("booking_timeoff:add"),
        {
            "practitioner": rosa.pk,
            "starts_at": f"{MONDAY.isoformat()} 09:00",
            "ends_at": f"{MONDAY.isoformat()} 12:30",
            "reason": "Training",
        },
    )
    assert ten not in client.get(week).content.decode()
    assert slot_value(local(MONDAY, 14), rosa.pk) in client.get(week).content.decode()


@pytest.mark.django_db
def test_time_off_is_listed_in_the_practices_own_time(admin_client):
    TimeOff.objects.create(
        practitioner=practitioner(),
        starts_at=local(MONDAY, 8),
        ends_at=local(MONDAY, 19),
        reason="Conference",
    )
    listing = admin_client.get(reverse("booking_timeoff:index")).content.decode()
    day = f"{MONDAY:%b} {MONDAY.day}, {MONDAY.year}"
    assert f"Rosa Lind: {day}, 8:00 AM to 7:00 PM" in listing


@pytest.mark.django_db
def test_an_empty_time_off_list_says_so_in_plain_english(admin_client):
    listing = admin_client.get(reverse("booking_timeoff:index")).content.decode()
    assert "There is no time off to display." in listing


@pytest.mark.django_db
def test_the_appointments_list_opens_on_what_is_coming_with_the_past_a_filter_away(
    admin_client,
):
    later = book(start=local(MONDAY, 14), patient=details(last_name="Later"))
    sooner = book(start=local(MONDAY, 10), patient=details(last_name="Sooner"))
    with time_machine.travel(local(MONDAY, 9) - dt.timedelta(days=14)):
        past = book(
            start=local(MONDAY - dt.timedelta(days=7), 10), patient=details(last_name="Gone")
        )
    with time_machine.travel(local(MONDAY, 12)):
        index = reverse("booking_appointment:index")
        shown = admin_client.get(index).content.decode()
        looking_back = admin_client.get(index, {"when": "past"}).content.decode()
        everything = admin_client.get(index, {"when": "all"}).content.decode()

    # At noon on MONDAY: the 14:00 visit is coming; 10:00 today and last week's are past.
    assert later.patient.full_name in shown
    assert sooner.patient.full_name not in shown and past.patient.full_name not in shown
    assert looking_back.index(sooner.patient.full_name) < looking_back.index(
        past.patient.full_name
    )  # the most recent first
    assert later.patient.full_name not in looking_back
    assert all(a.patient.full_name in everything for a in (later, sooner, past))


@pytest.mark.django_db
def test_the_appointments_export_is_a_button_of_its_own(admin_client):
    page = BeautifulSoup(
        admin_client.get(reverse("booking_appointment:index")).content, "html.parser"
    )
    [download] = [a for a in page.select("a") if a.get_text(strip=True) == "Download CSV"]
    assert "export=csv" in download["href"]
    assert not download.find_parent(attrs={"data-controller": "w-dropdown"})
    assert admin_client.get(download["href"]).status_code == 200


@pytest.mark.django_db
def test_true_or_false_columns_say_yes_and_no(admin_client):
    """The services, practitioners and waiting lists say "Yes" and "No" (Wagtail wrote
    "True" and "False")."""
    join()
    for url in (
        "/admin/snippets/booking/service/",
        reverse("booking_practitioner:index"),
        reverse("booking_waitlist:index"),
    ):
        page = BeautifulSoup(admin_client.get(url).content, "html.parser")
        cells = {cell.get_text(strip=True) for cell in page.select("tbody td")}
        assert cells & {"Yes", "No"} and not cells & {"True", "False"}, (url, cells)
