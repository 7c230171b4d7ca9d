"""A booking policy that cannot work is refused at its field, and whatever a stored policy
says (saved before the limits, or edited in the database), the patients' pages answer."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import BookingPolicy, Service
from tests.booking.walk import later_week

SMALLINT = 32767  # the most a PositiveSmallIntegerField holds


def _policy(**values) -> BookingPolicy:
    policy = BookingPolicy.load()
    for name, value in values.items():
        setattr(policy, name, value)
    return policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slot_step_minutes", 0),
        ("slot_step_minutes", -5),
        ("slot_step_minutes", 10_000),
        ("booking_horizon_days", 0),
        ("booking_horizon_days", 100_000),
        ("buffer_minutes", -1),
        ("minimum_notice_hours", 30_000),
        ("cancellation_window_hours", 5_000),
    ],
)
def test_a_policy_that_cannot_work_is_refused_at_its_field(field, value):
    with pytest.raises(ValidationError) as refused:
        _policy(**{field: value}).full_clean()
    assert field in refused.value.message_dict


@pytest.mark.django_db
def test_a_notice_longer_than_the_horizon_is_refused_saying_why():
    with pytest.raises(ValidationError) as refused:
        _policy(minimum_notice_hours=24 * 8, booking_horizon_days=7).full_clean()
    [message] = refused.value.message_dict["minimum_notice_hours"]
    assert "no time could ever be booked online" in message
    _policy(minimum_notice_hours=24 * 6, booking_horizon_days=7).full_clean()


@pytest.mark.django_db
def test_the_settings_page_refuses_a_zero_step_at_the_field(admin_client):
    url = f"/admin/settings/booking/bookingpolicy/{BookingPolicy.load().pk}/"
    form = {
        "slot_step_minutes": "0",
        "buffer_minutes": "10",
        "minimum_notice_hours": "12",
        "booking_horizon_days": "60",
        "cancellation_window_hours": "24",
        "reminder_hours": "24",
    }
    page = admin_client.post(url, form)
    assert page.status_code == 200
    assert "At least 5 minutes." in page.content.decode()
    assert BookingPolicy.load().slot_step_minutes == 15


@pytest.fixture
def on_time_page(client):
    service = Service.objects.get(slug="new-patient-visit")
    assert client.post("/book/", {"service": service.pk, "practitioner": ""}).status_code == 302
    return client


stored = st.integers(min_value=0, max_value=SMALLINT)
odd = st.sampled_from([0, 1, 24, 730, 731, 100_000 % SMALLINT, SMALLINT])


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    step=odd | stored,
    buffer=odd | stored,
    notice=odd | stored,
    horizon=odd | stored,
    window=odd | stored,
)
def test_no_stored_policy_gives_a_patient_an_error(
    on_time_page, step, buffer, notice, horizon, window
):
    BookingPolicy.objects.update(
        slot_step_minutes=step,
        buffer_minutes=buffer,
        minimum_notice_hours=notice,
        booking_horizon_days=horizon,
        cancellation_window_hours=window,
    )
    for path in ("/book/time/", later_week(), "/book/time/?week=2999-01-04"):
        response = on_time_page.get(path)
        assert response.status_code == 200, (path, response.content[:500])
