"""Time off over booked appointments: saving it lists them, and staff keep, cancel or move
each in one go, the patients told; time off is entered and shown in the practice's time."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking import time_off
from booking.contracts import BookingError
from booking.models import Appointment, AppointmentStatus, TimeOff
from tests.clock import local
from tests.factories.bookings import book, details
from tests.factories.practice import practitioner

from .shared import MONDAY, TUESDAY

SETTLE = time_off.SETTLE_ACTION


def add_time_off(client, *, who=None, day=MONDAY, start="08:00", end="19:00", reason="Course"):
    return client.post(
        reverse("booking_timeoff:add"),
        {
            "practitioner": who.pk if who else "",
            "starts_at": f"{day.isoformat()} {start}",
            "ends_at": f"{day.isoformat()} {end}",
            "reason": reason,
        },
    )


def screen_url(off):
    return reverse("booking_staff:time_off_appointments", args=[off.pk])


def offered(response, appointment):
    """The new time the screen offers first for ``appointment`` (already chosen)."""
    return response.context["form"].fields[f"start_{appointment.pk}"].initial


def patient_subjects(address):
    return [m.subject.split(": ", 1)[1] for m in mail.outbox if m.to == [address]]


@pytest.fixture
def nora():
    return book(
        start=local(MONDAY, 14, 30),
        patient=details(first_name="Nora", last_name="Quill", email="nora@example.com"),
    )


@pytest.mark.django_db
def test_saving_time_off_over_a_booking_leads_to_the_screen_that_lists_it(front_desk_client, nora):
    saved = add_time_off(front_desk_client, who=practitioner(), reason="Conference")
    off = TimeOff.objects.get()
    assert saved.status_code == 302 and saved.url == screen_url(off)

    page = front_desk_client.get(screen_url(off))
    html = page.content.decode()
    assert "Nora Quill" in html and nora.when in html
    assert "It covers 1 booked appointment: choose what happens to each." in html
    assert offered(page, nora)  # a free time is proposed, outside the time off
    proposed = dt.datetime.fromisoformat(offered(page, nora))
    assert not (off.starts_at <= proposed < off.ends_at)


@pytest.mark.django_db
def test_time_off_over_nothing_goes_back_to_the_list(front_desk_client, nora):
    saved = add_time_off(front_desk_client, who=practitioner("omar-haddad"))
    assert saved.url == reverse("booking_timeoff:index")


@pytest.mark.django_db
def test_move_moves_it_to_the_offered_time_and_emails_the_patient(
    front_desk_client, nora, django_capture_on_commit_callbacks
):
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    page = front_desk_client.get(screen_url(off))
    new_time = offered(page, nora)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = front_desk_client.post(
            screen_url(off), {f"action_{nora.pk}": "move", f"start_{nora.pk}": new_time}
        )
    nora.refresh_from_db()
    assert done.status_code == 302
    assert nora.starts_at == dt.datetime.fromisoformat(new_time)
    assert nora.status == AppointmentStatus.CONFIRMED
    assert patient_subjects("nora@example.com") == ["Your appointment has moved"]
    entry = ModelLogEntry.objects.for_instance(off).get(action=SETTLE)
    assert entry.data == {"kept": [], "cancelled": [], "moved": [nora.pk]}
    assert ModelLogEntry.objects.for_instance(nora).filter(action=SETTLE).exists()
    assert "Nora" not in str(entry.data) and "Nora" not in entry.label


@pytest.mark.django_db
def test_cancel_cancels_it_and_emails_the_patient(
    front_desk_client, nora, django_capture_on_commit_callbacks
):
    add_time_off(front_desk_client, who=practitioner(), reason="Conference")
    off = TimeOff.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        front_desk_client.post(screen_url(off), {f"action_{nora.pk}": "cancel"})
    nora.refresh_from_db()
    assert nora.status == AppointmentStatus.CANCELLED
    assert nora.cancellation_reason == "Time off: Conference"
    assert patient_subjects("nora@example.com") == ["Your appointment is cancelled"]


@pytest.mark.django_db
def test_keep_keeps_it_and_tells_nobody(
    front_desk_client, nora, django_capture_on_commit_callbacks
):
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    before = (nora.starts_at, nora.status, nora.sequence)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = front_desk_client.post(screen_url(off), {f"action_{nora.pk}": "keep"}, follow=True)
    nora.refresh_from_db()
    assert (nora.starts_at, nora.status, nora.sequence) == before
    assert mail.outbox == []
    assert "Done: 1 kept." in done.content.decode()
    entry = ModelLogEntry.objects.for_instance(off).get(action=SETTLE)
    assert entry.data["kept"] == [nora.pk]


@pytest.mark.django_db
def test_every_appointment_needs_a_choice_and_nothing_happens_without_one(front_desk_client, nora):
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    refused = front_desk_client.post(screen_url(off), {})
    assert refused.status_code == 200
    assert "Choose what happens to this appointment." in refused.content.decode()
    assert not ModelLogEntry.objects.filter(action=SETTLE).exists()


@pytest.mark.django_db
def test_two_appointments_get_first_choices_that_do_not_clash_and_both_move(
    front_desk_client, django_capture_on_commit_callbacks
):
    first = book(start=local(MONDAY, 10))
    second = book(start=local(MONDAY, 11))
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    page = front_desk_client.get(screen_url(off))
    times = [offered(page, a) for a in (first, second)]
    assert times[0] != times[1]
    with django_capture_on_commit_callbacks(execute=True):
        front_desk_client.post(
            screen_url(off),
            {
                f"action_{first.pk}": "move",
                f"start_{first.pk}": times[0],
                f"action_{second.pk}": "move",
                f"start_{second.pk}": times[1],
            },
        )
    moved = sorted(Appointment.objects.values_list("starts_at", flat=True))
    assert moved == sorted(dt.datetime.fromisoformat(t) for t in times)


@pytest.mark.django_db
def test_a_failure_in_the_middle_leaves_nothing_changed(
    front_desk_client, monkeypatch, django_capture_on_commit_callbacks
):
    """Another booking takes the second move's time while the changes are being made,
    after the first was cancelled in the same go: nothing stands, no email, no log entry."""
    from booking import services

    first = book(start=local(MONDAY, 10))
    second = book(start=local(MONDAY, 11))
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    target = offered(front_desk_client.get(screen_url(off)), second)
    reschedule = services.appointment_reschedule

    def taken_meanwhile(**kwargs):
        book(start=kwargs["start"], by_staff=True)  # the race, inside the transaction
        return reschedule(**kwargs)

    monkeypatch.setattr(services, "appointment_reschedule", taken_meanwhile)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = front_desk_client.post(
            screen_url(off),
            {
                f"action_{first.pk}": "cancel",
                f"action_{second.pk}": "move",
                f"start_{second.pk}": target,
            },
        )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Nothing was changed." in html and "that time is no longer free" in html
    for appointment, start in ((first, local(MONDAY, 10)), (second, local(MONDAY, 11))):
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CONFIRMED
        assert appointment.starts_at == start
    assert Appointment.objects.count() == 2  # the intruding booking went with the rest
    assert mail.outbox == []
    assert not ModelLogEntry.objects.filter(action=SETTLE).exists()


@pytest.mark.django_db
def test_a_time_taken_before_applying_is_refused_with_a_clear_message(front_desk_client):
    appointment = book(start=local(MONDAY, 10))
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    target = offered(front_desk_client.get(screen_url(off)), appointment)
    book(start=dt.datetime.fromisoformat(target), by_staff=True)
    refused = front_desk_client.post(
        screen_url(off), {f"action_{appointment.pk}": "move", f"start_{appointment.pk}": target}
    )
    assert "That time is no longer free: choose another." in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.starts_at == local(MONDAY, 10)


@pytest.mark.django_db
def test_the_service_rolls_back_a_cancel_when_a_later_decision_is_refused(nora):
    other = book(start=local(MONDAY, 10))
    off = TimeOff.objects.create(
        practitioner=practitioner(), starts_at=local(MONDAY, 8), ends_at=local(MONDAY, 19)
    )
    with pytest.raises(BookingError, match="changed meanwhile"):
        time_off.time_off_settle(
            time_off=off,
            decisions=[
                time_off.Decision(appointment_id=other.pk, action=time_off.CANCEL),
                time_off.Decision(appointment_id=book(start=local(TUESDAY, 10)).pk,
                                  action=time_off.CANCEL),
            ],
            by=None,
        )  # fmt: skip
    other.refresh_from_db()
    assert other.status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_a_clinic_closure_lists_everyones_appointments_and_not_the_cancelled(
    front_desk_client, nora
):
    omars = book(start=local(TUESDAY, 11), who=practitioner("omar-haddad"))
    gone = book(start=local(MONDAY, 9))
    Appointment.objects.filter(pk=gone.pk).update(status=AppointmentStatus.CANCELLED)
    off = TimeOff.objects.create(
        practitioner=None, starts_at=local(MONDAY, 0), ends_at=local(TUESDAY, 23)
    )
    page = front_desk_client.get(screen_url(off))
    rows = [a.pk for a, _action, _time in page.context["rows"]]
    assert rows == [nora.pk, omars.pk]


@pytest.mark.django_db
def test_a_caller_without_email_is_marked_to_be_phoned(front_desk_client):
    caller = book(start=local(MONDAY, 10), patient=details(email=""), intake=None, by_staff=True)
    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    html = front_desk_client.get(screen_url(off)).content.decode()
    assert "Cancel it (no email: phone them)" in html
    done = front_desk_client.post(screen_url(off), {f"action_{caller.pk}": "cancel"}, follow=True)
    assert "1 patient(s) have no email: phone them." in done.content.decode()


@pytest.mark.django_db
def test_a_practitioner_cannot_settle_time_off(rosa_client, nora):
    off = TimeOff.objects.create(
        practitioner=practitioner(), starts_at=local(MONDAY, 8), ends_at=local(MONDAY, 19)
    )
    response = rosa_client.post(screen_url(off), {f"action_{nora.pk}": "cancel"})
    nora.refresh_from_db()
    assert response.status_code in (302, 403) and nora.status == AppointmentStatus.CONFIRMED


@pytest.mark.django_db
def test_the_screen_runs_a_fixed_number_of_queries_per_appointment(front_desk_client):
    """Each appointment costs its nearest free times (the schedule's four queries)."""
    for hour in (9, 11, 14):
        book(start=local(MONDAY, hour))
    front_desk_client.get(reverse("booking_timeoff:index"))  # the session's one-off queries
    counts = []
    for until in (10, 12, 15):  # time off covering one, two, then three of them
        off = TimeOff.objects.create(
            practitioner=practitioner(), starts_at=local(MONDAY, 8), ends_at=local(MONDAY, until)
        )
        with CaptureQueriesContext(connection) as queries:
            page = front_desk_client.get(screen_url(off))
        assert len(page.context["rows"]) == len(counts) + 1
        counts.append(len(queries))
        off.delete()
    assert counts[1] - counts[0] == counts[2] - counts[1] == 4, counts
    assert counts[0] <= 18, counts  # the booking policy read each time


# --- Local time ---------------------------------------------------------------------------


@pytest.fixture
def desk_in_london(front_desk_client):
    """A front desk login whose Wagtail profile is set to another zone than the practice's."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.get(username="desk")
    profile = UserProfile.get_for_user(user)
    profile.current_time_zone = "Europe/London"
    profile.save()
    return front_desk_client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [("8:00 AM", "7:00 PM"), ("08:00 AM", "07:00PM"), ("8:00 am", "7:00 pm"), ("08:00", "19:00")],
)
def test_time_off_is_typed_on_the_12_hour_clock_or_the_24_hour_one(front_desk_client, start, end):
    response = add_time_off(front_desk_client, who=practitioner(), start=start, end=end)
    assert response.status_code == 302
    off = TimeOff.objects.get()
    assert (off.starts_at, off.ends_at) == (local(MONDAY, 8), local(MONDAY, 19))


@pytest.mark.django_db
def test_a_time_off_time_that_cannot_be_read_is_refused_with_a_message(front_desk_client):
    response = add_time_off(front_desk_client, who=practitioner(), start="25:00", end="7 PM-ish")
    assert response.status_code == 200
    assert not TimeOff.objects.exists()
    assert "Enter a valid date/time." in response.content.decode()


@pytest.mark.django_db
def test_time_off_is_entered_edited_and_inspected_in_the_practices_time(desk_in_london):
    add_time_off(desk_in_london, who=practitioner(), start="08:00", end="19:00")
    off = TimeOff.objects.get()
    assert (off.starts_at, off.ends_at) == (local(MONDAY, 8), local(MONDAY, 19))

    form = desk_in_london.get(reverse("booking_timeoff:edit", args=[off.pk])).content.decode()
    # The picker writes the practice's 12-hour clock.
    assert f"{MONDAY.isoformat()} 08:00 AM" in form and f"{MONDAY.isoformat()} 07:00 PM" in form
    assert "In the practice&#x27;s local time (America/New_York)." in form

    listing = desk_in_london.get(reverse("booking_timeoff:index")).content.decode()
    assert "8:00 AM to 7:00 PM" in listing

    inspect = desk_in_london.get(reverse("booking_timeoff:inspect", args=[off.pk]))
    html = inspect.content.decode()
    assert f"{MONDAY:%a %b} {MONDAY.day}, {MONDAY.year}, 8:00 AM (America/New_York)" in html
    assert "7:00 PM (America/New_York)" in html


@pytest.mark.django_db
def test_the_inspect_view_lists_the_covered_appointments_with_the_way_to_settle_them(
    front_desk_client, nora
):
    off = TimeOff.objects.create(
        practitioner=practitioner(), starts_at=local(MONDAY, 8), ends_at=local(MONDAY, 19)
    )
    html = front_desk_client.get(reverse("booking_timeoff:inspect", args=[off.pk])).content
    assert b"Nora Quill" in html and screen_url(off).encode() in html


@pytest.mark.django_db
def test_the_screen_labels_every_choice_and_ties_its_errors(front_desk_client, nora):
    from tests.audit.pages import unlabelled_controls, untied_errors

    add_time_off(front_desk_client, who=practitioner())
    off = TimeOff.objects.get()
    shown = front_desk_client.get(screen_url(off)).content.decode()
    refused = front_desk_client.post(
        screen_url(off), {f"start_{nora.pk}": "2000-01-01T00:00:00+00:00"}
    ).content.decode()
    assert 'aria-invalid="true"' in refused
    for html in (shown, refused):
        assert unlabelled_controls(html) == []
        assert untied_errors(html) == []
