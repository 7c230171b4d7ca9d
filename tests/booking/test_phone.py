"""Phone numbers: read for the practice's country, stored in E.164, shown as people write them."""

import pytest

from booking.models import Service
from booking.phone import InvalidPhone, phone_display, phone_normalise
from tests.booking.walk import details_data, draft_of, first_slot, later_week


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(555) 010-0101", "+15550100101"),
        ("555.010.0101", "+15550100101"),
        ("+1 555 010 0101", "+15550100101"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["12", "555", "call me", "+1 555 010 01019999", ""])
def test_numbers_that_cannot_be_called_are_refused(typed):
    with pytest.raises(InvalidPhone):
        phone_normalise(typed)


def test_stored_numbers_read_as_people_write_them():
    assert phone_display("+15550100101") == "(555) 010-0101"
    assert phone_display("+442079460958") == "+44 20 7946 0958"
    assert phone_display("not a number") == "not a number"  # an old record, as it was


def test_a_practice_elsewhere_reads_numbers_as_its_own(settings):
    settings.PRACTICE_COUNTRY = "GB"
    assert phone_normalise("020 7946 0958") == "+442079460958"
    assert phone_display("+442079460958") == "020 7946 0958"


@pytest.mark.django_db
def test_the_details_step_refuses_a_short_number_and_keeps_what_was_typed(client, soup):
    client.post("/book/", {"service": Service.objects.get(slug="new-patient-visit").pk})
    client.post("/book/time/", {"slot": first_slot(client.get(later_week()))})
    refused = client.post("/book/details/", details_data(phone="12"))
    page = soup(refused)
    assert refused.status_code == 400
    assert "Please check the phone number" in page.get_text()
    assert page.select_one("#id_phone")["value"] == "12"
    assert page.select_one("#id_last_name")["value"] == "Lovelace"
    assert client.post("/book/details/", details_data()).status_code == 302
    assert draft_of(client).details["phone"] == "+15550100101"
