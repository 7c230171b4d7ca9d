"""Names and other one-line fields refuse Unicode categories Cc and Cf (line breaks,
control characters, bidi and other invisible formatting characters) with a clear message,
in the patients' forms, the waiting list's (the same details step) and the staff's."""

import pytest
from django import forms
from django.urls import reverse

from booking.forms import NewPatientIntakeForm
from booking.forms.details import DetailsForm
from booking.models import Patient, Service
from booking.staff.calendars import CalendarSourceForm
from booking.staff.forms import StaffBookingForm
from practice.single_line import refuse_hidden_characters
from tests.booking.walk import details_data, first_slot
from tests.clock import local, next_weekday
from tests.factories.bookings import book

HIDDEN = {
    "Ada\nEvil": "a line break",
    "Ada\rEvil": "a line break",
    "Ada\tLovelace": "a tab",
    "Ada\x00": "a control character (U+0000)",
    "Ada\x1b[31m": "a control character (U+001B)",
    "Ada\u202eecalevoL": "an invisible formatting character (U+202E)",
    "Ada\u2066x\u2069": "an invisible formatting character (U+2066)",
    "Ada\u200b": "an invisible formatting character (U+200B)",
    "\ufeffAda": "an invisible formatting character (U+FEFF)",
}


@pytest.mark.parametrize("name", list(HIDDEN))
def test_a_name_with_a_control_or_bidi_character_is_refused_saying_what_was_found(name):
    form = DetailsForm(data=details_data(first_name=name))
    assert not form.is_valid()
    message = " ".join(form.errors["first_name"])  # U+0000 also gets Django's own message
    assert HIDDEN[name] in message and "one line" in message


@pytest.mark.parametrize("name", ["Zoë", "O'Brien", "José-María", "李小龍", "Nguyễn Thị", "ﺳﺎﺭﺍ"])
def test_names_in_any_script_are_taken(name):
    form = DetailsForm(data=details_data(first_name=name, last_name=name))
    assert form.is_valid(), form.errors


def one_line_fields(form: forms.BaseForm) -> dict:
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, (forms.Textarea, forms.PasswordInput, forms.HiddenInput))
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        lambda: DetailsForm(),
        lambda: NewPatientIntakeForm(),
        lambda: StaffBookingForm(),
        lambda: CalendarSourceForm(),
    ],
    ids=["details", "new-intake", "staff-booking", "calendar-source"],
)
def test_every_one_line_field_of_the_patient_and_staff_forms_is_checked(form):
    fields = one_line_fields(form())
    assert fields
    for name, field in fields.items():
        assert refuse_hidden_characters in field.validators, name


@pytest.mark.django_db
def test_the_details_step_refuses_a_line_break_in_a_name_and_keeps_what_was_typed(client, soup):
    client.post("/book/", {"service": Service.objects.get(slug="follow-up-treatment").pk})
    client.post("/book/time/", {"slot": first_slot(client.get("/book/time/"))})
    response = client.post("/book/details/", details_data(last_name="Lovelace\r\nBcc: x@y"))
    assert response.status_code == 400
    page = soup(response)
    assert "a line break" in page.select_one(".error-summary").get_text()
    assert page.select_one("#id_email")["value"] == "ada@example.com"
    assert page.select_one("#id_first_name")["value"] == "Ada"


@pytest.mark.django_db
def test_staff_editing_a_patient_cannot_save_a_bidi_override_in_the_name(admin_client):
    patient = book(start=local(next_weekday(0), 10)).patient
    response = admin_client.post(
        reverse("booking_patient:edit", args=[patient.pk]),
        {
            "first_name": "Nora\u202e",
            "last_name": patient.last_name,
            "email": patient.email,
            "phone": patient.phone,
            "date_of_birth": patient.date_of_birth.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "invisible formatting character (U+202E)" in response.content.decode()
    assert Patient.objects.get(pk=patient.pk).first_name == patient.first_name
