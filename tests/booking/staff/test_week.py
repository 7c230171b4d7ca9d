"""A practitioner's week is edited as a week: a row a day with a break, on a page of its
own reached from the practitioner's page, which also holds their calendars."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.practice import practitioner

T = dt.time


def _week_form(rosa, **changes) -> dict:
    """Rosa's week as the page sends it (Monday to Thursday 9:00 to 6:00 with a break
    12:30 to 1:30, Friday 9:00 to 2:00), with ``changes`` (``"0_opens": "08:00"``)."""
    data = {f"{day}_{part}": "" for day in range(7) for part in PARTS}
    for day in range(4):
        data |= {
            f"{day}_opens": "09:00",
            f"{day}_closes": "18:00",
            f"{day}_break_from": "12:30",
            f"{day}_break_until": "13:30",
        }
    data |= {"4_opens": "09:00", "4_closes": "14:00"}
    return data | changes


PARTS = ("opens", "closes", "break_from", "break_until")


def _hours(who) -> set[tuple[int, dt.time, dt.time]]:
    return {(h.weekday, h.start_time, h.end_time) for h in who.working_hours.all()}


@pytest.mark.django_db
def test_the_week_page_shows_a_row_a_day_with_its_break(admin_client):
    rosa = practitioner()
    page = admin_client.get(reverse("booking_staff:practitioner_week", args=[rosa.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    rows = soup.select("tbody tr")
    assert [r.th.get_text(strip=True) for r in rows][:2] == ["Monday", "Tuesday"]
    assert len(rows) == 7
    values = [i.get("value", "") for i in rows[0].select("input")]
    assert values == ["09:00", "18:00", "12:30", "13:30"]
    assert [i.get("value", "") for i in rows[4].select("input")] == ["09:00", "14:00", "", ""]
    assert "Hours 1" not in page.content.decode()


@pytest.mark.django_db
def test_saving_the_week_replaces_the_changed_days_only(admin_client):
    rosa = practitioner()
    before = _hours(rosa)
    data = _week_form(
        rosa,
        **{
            "0_opens": "08:00",
            "0_break_from": "",
            "0_break_until": "",
            "4_opens": "",
            "4_closes": "",
        },
    )
    data |= {"5_opens": "10:00", "5_closes": "12:00"}
    response = admin_client.post(reverse("booking_staff:practitioner_week", args=[rosa.pk]), data)
    assert response.status_code == 302
    after = _hours(rosa)
    assert (0, T(8), T(18)) in after and (0, T(9), T(12, 30)) not in after
    assert not [h for h in after if h[0] == 4]
    assert (5, T(10), T(12)) in after
    assert {h for h in before if h[0] in (1, 2, 3)} <= after


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"0_closes": "08:00"}, "0_closes", "The day must end after it starts."),
        ({"2_closes": ""}, "2_closes", "Give both times, or neither for a day off."),
        ({"1_break_from": "07:00"}, "1_break_from", "The break must fall inside the day"),
        ({"3_break_until": ""}, "3_break_until", "Give both ends of the break, or neither."),
        ({"6_break_from": "12:00", "6_break_until": "13:00"}, "6_break_from", "no break"),
    ],
)
def test_a_week_that_cannot_work_is_refused_at_the_field(admin_client, changes, field, message):
    rosa = practitioner()
    before = _hours(rosa)
    response = admin_client.post(
        reverse("booking_staff:practitioner_week", args=[rosa.pk]), _week_form(rosa, **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert _hours(rosa) == before


@pytest.mark.django_db
def test_the_practitioners_page_holds_their_hours_and_calendars(admin_client):
    rosa = practitioner()
    listing = admin_client.get(reverse("booking_practitioner:index")).content.decode()
    page_url = reverse("booking_practitioner:inspect", args=[rosa.pk])
    assert f'href="{page_url}"' in listing
    page = admin_client.get(page_url)
    text = page.content.decode()
    assert reverse("booking_staff:practitioner_week", args=[rosa.pk]) in text
    assert reverse("booking_staff:calendar_add", args=[rosa.pk]) in text
    assert "<title>Practitioner: Rosa Lind" in text.replace("\n", "")
    assert "Inspect" not in BeautifulSoup(text, "html.parser").title.get_text()
