"""Any combination of answers, through the real health questions and the confirm step: never
a server error, and never a booking that breaks a rule (an emergency sign booked, a doctor
sign booked without the patient's word that a doctor has checked it, electrical stimulation
for answers that rule it out)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from booking import intake, questions, selectors
from booking.forms import ReturningPatientIntakeForm
from booking.forms.screening import GROUPS
from booking.models import Appointment, Intake, Patient, Service
from tests.booking.walk import confirm, details_data, draft_of, intake_data, seed
from tests.clock import next_weekday

CHECKLIST_KEYS = {
    group.detail: [
        k for k in dict(ReturningPatientIntakeForm().fields[group.detail].choices) if k != "none"
    ]
    for group in GROUPS
}
CHECKLIST_KEYS["pregnancy_detail"] = [q.key for q in questions.PREGNANCY_SIGNS]
SERVICES = ["electroacupuncture", "follow-up-treatment"]


def _ticks(name: str):
    return st.one_of(
        st.just([questions.NONE_OF_THESE]),
        st.lists(st.sampled_from(CHECKLIST_KEYS[name]), min_size=1, max_size=4, unique=True),
    )


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.BOOKING_SUBMISSIONS_PER_HOUR = 10**9


@pytest.fixture
def free_times():
    monday = next_weekday(0, weeks_ahead=2)
    now = timezone.now()
    return {
        slug: selectors.slot_list_free(
            service=Service.objects.get(slug=slug),
            practitioner=None,
            first_day=monday,
            days=7,
            now=now,
        )[0]
        for slug in SERVICES
    }


@pytest.mark.django_db
@pytest.mark.parametrize("returning", [False, True], ids=["new", "returning"])
def test_no_answers_make_a_server_error_or_a_booking_that_breaks_a_rule(
    client, free_times, returning
):
    seen = set()

    @settings(max_examples=60)
    @given(
        ticks=st.fixed_dictionaries({name: _ticks(name) for name in CHECKLIST_KEYS}),
        cleared=st.booleans(),
        service=st.sampled_from(SERVICES),
        age=st.sampled_from([30, 52, 70]),
        duration=st.sampled_from(["under_6_weeks", "over_3_months"]),
    )
    def check(ticks, cleared, service, age, duration):
        cache.clear()
        Intake.objects.all().delete()
        Appointment.objects.all().delete()
        Patient.objects.all().delete()
        slot = free_times[service]
        born = dt.date(timezone.localdate().year - age, 1, 1)  # the birthday has been
        details = details_data(date_of_birth=born.isoformat())
        del details["website"]
        seed(
            client,
            service_id=Service.objects.get(slug=service).pk,
            start=slot.start.isoformat(),
            slot_practitioner_id=slot.practitioner_id,
            details=details,
            intake_kind="returning" if returning else "new",
        )
        ticked = {key for keys in ticks.values() for key in keys if key != "none"}
        data = intake_data(returning=returning, **dict.fromkeys(ticked, "yes"))
        if not returning:
            data["pain_duration"] = duration
        if cleared:  # new patients may say so too
            data["doctor_cleared"] = "on"
            data["doctor_cleared_detail"] = "My doctor, two weeks ago"
        response = client.post("/book/health-questions/", data)
        assert response.status_code in (200, 302), response.content[:1500]
        draft = draft_of(client)
        if response.status_code == 302 and response["Location"] == "/book/review/":
            confirmed, _ = confirm(client)
            assert confirmed.status_code < 500
        booked = Appointment.objects.select_related("service").first()
        answers = draft.intake.get("answers") if draft and draft.intake else None
        seen.add("booked" if booked else "not booked")
        if booked is None:
            return
        stored = booked.intake.answers
        # What was booked obeys every rule, read from what was stored.
        assert not intake.emergency_signs_given(stored)
        assert intake.urgency(stored, age) is None
        if intake.doctor_signs_given(stored, age):
            assert stored.get("doctor_cleared") == "yes" and "doctor_cleared" in booked.flags
        if booked.service.uses_electrical_stimulation:
            assert not intake.rules_out_electrical_stimulation(stored)
        assert answers is None or answers == stored

    check()
    assert seen == {"booked", "not booked"}  # the examples reached both outcomes
