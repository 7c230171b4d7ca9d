"""The waiting list in the admin: front desk sees whom to call and what they wait for,
never their health answers; filters, the times that suit an entry, "offer to this
patient", "book from the list" and marking an entry urgent."""

import pytest
from django.urls import reverse

from booking import services as booking_services
from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import Appointment, AppointmentStatus, Practitioner, WaitlistOffer
from booking.views.picker import encode_slot_choice
from tests.clock import local
from tests.factories.bookings import answers, details
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member as staff

from .people import MONDAY, full_morning, join

pytestmark = pytest.mark.django_db
MARKER = "WOMBAT-WAITLIST-MARKER"


@pytest.fixture
def desk(client):
    client.force_login(staff("desk", FRONT_DESK))
    return client


@pytest.fixture
def entry():
    return join(
        details=details(first_name="Nora", last_name="Quill", email="nora@example.com"),
        answers=answers(medications=MARKER),
    )


def test_front_desk_sees_contact_details_and_never_health_answers(desk, entry):
    listing = desk.get(reverse("booking_waitlist:index"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Nora Quill" in page and "nora@example.com" in page and MARKER not in page
    inspect = desk.get(reverse("booking_waitlist:inspect", args=[entry.pk])).content.decode()
    assert "nora@example.com" in inspect and MARKER not in inspect
    assert "pain" not in inspect.lower()


def test_the_list_filters_by_status_service_and_practitioner(desk, entry):
    def names(query):
        return desk.get(reverse("booking_waitlist:index") + query).content.decode()

    assert "Nora Quill" in names("?status=waiting")
    assert "Nora Quill" not in names("?status=booked")
    assert "Nora Quill" in names(f"?service={entry.service_id}")
    assert "Nora Quill" in names(f"?practitioner={entry.practitioner_id}")


def test_the_list_finds_the_entries_matching_a_free_time(desk, entry):
    join(details=details(first_name="Evening", last_name="Only"), parts_of_day=["evening"])
    slot = encode_slot_choice(local(MONDAY, 10), practitioner().pk)
    page = desk.get(reverse("booking_waitlist:index"), {"matching": slot}).content.decode()
    assert "Nora Quill" in page and "Evening Only" not in page
    bad = desk.get(reverse("booking_waitlist:index"), {"matching": "nonsense"})
    assert bad.status_code == 200 and "Nora Quill" not in bad.content.decode()


def test_offer_to_this_patient_holds_a_suiting_time_for_them(
    desk, entry, django_capture_on_commit_callbacks
):
    full_morning()
    inspect = desk.get(reverse("booking_waitlist:inspect", args=[entry.pk])).content.decode()
    assert "Offer to this patient" in inspect and "Book from the list" in inspect
    slot = encode_slot_choice(local(MONDAY, 13, 30), practitioner().pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("booking_staff:waitlist_offer", args=[entry.pk]), {"slot": slot}
        )
    assert response.status_code == 302
    offer = WaitlistOffer.objects.get(entry=entry)
    assert offer.hold.status == AppointmentStatus.HELD
    assert offer.starts_at == local(MONDAY, 13, 30)
    # A time not free is refused plainly.
    taken = encode_slot_choice(local(MONDAY, 10), practitioner().pk)
    other = join()
    desk.post(reverse("booking_staff:waitlist_offer", args=[other.pk]), {"slot": taken})
    assert not WaitlistOffer.objects.filter(entry=other).exists()


def test_marking_urgent_puts_the_entry_first(desk, entry, django_capture_on_commit_callbacks):
    booked = full_morning()
    later = join(details=details(email="later@example.com"))
    desk.post(reverse("booking_staff:waitlist_urgent", args=[later.pk]), {"urgent": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    [hold] = Appointment.with_holds.filter(status=AppointmentStatus.HELD)
    assert hold.hold_for == later


def test_a_practitioner_sees_the_list_but_cannot_change_it(client, entry):
    user = staff("rosa-test", PRACTITIONER)
    Practitioner.objects.filter(profile__slug="rosa-lind").update(user=user)
    client.force_login(user)
    assert client.get(reverse("booking_waitlist:index")).status_code == 200
    response = client.post(
        reverse("booking_staff:waitlist_urgent", args=[entry.pk]), {"urgent": "1"}
    )
    assert response.status_code in (302, 403) and response.url == "/admin/"
    entry.refresh_from_db()
    assert not entry.urgent
    assert (
        MARKER
        not in client.get(reverse("booking_waitlist:inspect", args=[entry.pk])).content.decode()
    )


def test_the_held_time_shows_on_the_agenda(desk, entry, django_capture_on_commit_callbacks):
    booked = full_morning()
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.appointment_cancel(appointment=booked[1], by_staff=True)
    page = desk.get(reverse("booking_staff:agenda") + f"?date={MONDAY.isoformat()}")
    assert "Held for the waiting list" in page.content.decode()


def test_a_free_gap_on_the_agenda_counts_the_entries_it_suits(desk, entry):
    full_morning()
    join(details=details(first_name="Evening", last_name="Only"), parts_of_day=["evening"])
    page = desk.get(reverse("booking_staff:agenda") + f"?date={MONDAY.isoformat()}")
    html = page.content.decode()
    # Monday afternoon is free: it suits Nora's entry, not the evening one.
    assert "1 on the waiting list" in html
    link = html.split('class="agenda-free__waiting" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "Nora Quill" in desk.get(link).content.decode()


def test_the_patients_page_lists_their_waiting_list_entries(desk, entry):
    page = desk.get(reverse("booking_patient:inspect", args=[entry.patient.pk])).content.decode()
    assert "Waiting list" in page and reverse("booking_waitlist:inspect", args=[entry.pk]) in page
    assert MARKER not in page
