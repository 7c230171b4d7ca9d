"""The staff agenda's loading, admin view and dashboard panel, on the database."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail import hooks

from booking import questions, services
from booking.groups import PRACTITIONER
from booking.models import TimeOff
from booking.staff.agenda.panel import AgendaPanel, home_panel_hook
from booking.staff.agenda.queries import agenda_load, appointment_admin_url
from booking.staff.agenda.views import urlpatterns
from tests.clock import local, next_weekday
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member

MONDAY = next_weekday(0)
TUESDAY = next_weekday(1)
THURSDAY = next_weekday(3)
PRIVATE_INTAKE_TEXT = "Sitting at my desk all day"


def test_the_module_provides_the_url_for_the_admin_hook():
    [pattern] = urlpatterns
    assert pattern.name == "agenda"  # in the booking_staff namespace
    assert str(pattern.pattern) == "bookings/agenda/"


# --- Data loading -----------------------------------------------------------------------


def ada(**overrides):
    return details(first_name="Ada", last_name="Lovelace", **overrides)


def flagged_intake():
    return answers(screen_blood_thinners="yes", worse=PRIVATE_INTAKE_TEXT)


@pytest.mark.django_db
def test_loading_a_week_takes_five_queries_and_hides_cancelled_appointments(
    django_assert_num_queries,
):
    kept = book(start=local(TUESDAY, 10), who=practitioner("omar-haddad"), patient=ada())
    gone = book(start=local(TUESDAY, 10), who=practitioner("rosa-lind"))
    services.appointment_cancel(appointment=gone, by_staff=True)
    week = [MONDAY + dt.timedelta(days=n) for n in range(7)]
    with django_assert_num_queries(5):
        data = agenda_load(days=week)
    visits = {
        b.visit.id: b.visit for d in data.grid.days for c in d.columns for b in c.appointments
    }
    assert kept.pk in visits
    assert gone.pk not in visits
    assert visits[kept.pk].patient == "Ada Lovelace"  # everyone's, the viewer opens all
    assert {p.name for p in data.practitioners} == {"Rosa Lind", "Omar Haddad"}
    # Rosa from 09:00, Omar until 18:00.
    assert (data.grid.start, data.grid.end) == (9 * 60, 18 * 60)


# --- The view ---------------------------------------------------------------------------


@pytest.fixture
def agenda_url():
    try:
        return reverse("booking_staff:agenda")
    except NoReverseMatch:
        pytest.skip(
            "booking_staff:agenda is not registered yet: booking/wagtail_hooks.py must include "
            "booking.staff.urls with the register_admin_urls hook."
        )


def inspect_url_resolves() -> bool:
    return appointment_admin_url(1) is not None


def appointment_blocks(page, patient: str = ""):
    blocks = page.select("li.agenda-block--appointment")
    return [b for b in blocks if patient in b.get_text()]


@pytest.mark.django_db
def test_the_week_shows_a_booked_appointment_without_health_information(
    admin_client, soup, agenda_url
):
    """One row a practitioner, a column a day; the patient's full name, no health data."""
    appointment = book(
        start=local(TUESDAY, 10),
        who=practitioner("omar-haddad"),
        patient=ada(),
        intake=flagged_intake(),
    )
    response = admin_client.get(agenda_url, {"date": TUESDAY.isoformat()})
    assert response.status_code == 200
    page = soup(response)
    [block] = appointment_blocks(page, "Ada Lovelace")
    text = " ".join(block.get_text(" ").split())
    assert text == "10:00\N{EN DASH}10:50 AM Follow-up treatment Ada Lovelace Flagged First visit"
    # All of it on hover too, for a card too narrow to show it.
    assert block.find(title=True)["title"] == (
        "10:00\N{EN DASH}10:50 AM: Follow-up treatment, Ada Lovelace, Flagged, First visit"
    )
    # In Omar's row, under Tuesday.
    row = block.find_parent("tr")
    assert row.find("th", scope="row").get_text(strip=True) == "Omar Haddad"
    cells = row.find_all("td")
    assert cells.index(block.find_parent("td")) == TUESDAY.weekday()
    body = response.content.decode()
    assert PRIVATE_INTAKE_TEXT not in body
    assert questions.FLAG_LABELS["blood_thinners"] not in body
    assert "@example.com" not in body
    if inspect_url_resolves():
        assert block.find("a")["href"] == appointment_admin_url(appointment.pk)
    # Seven days across, a row per practitioner.
    assert len(page.select("th.agenda-week__day")) == 7
    people = {th.get_text(strip=True) for th in page.select("th.agenda-week__person")}
    assert people == {"Rosa Lind", "Omar Haddad"}


@pytest.mark.django_db
def test_the_practitioner_filter_narrows_the_agenda(admin_client, soup, agenda_url):
    omar = practitioner("omar-haddad")
    book(start=local(TUESDAY, 10), who=omar, patient=ada())
    book(
        start=local(TUESDAY, 11),
        who=practitioner("rosa-lind"),
        patient=details(first_name="Grace", last_name="Hopper"),
    )
    everyone = soup(admin_client.get(agenda_url, {"date": TUESDAY.isoformat()}))
    assert appointment_blocks(everyone, "Ada Lovelace")
    assert appointment_blocks(everyone, "Grace Hopper")

    response = admin_client.get(agenda_url, {"date": TUESDAY.isoformat(), "practitioner": omar.pk})
    page = soup(response)
    assert appointment_blocks(page, "Ada Lovelace")
    assert "Grace" not in response.content.decode()
    headings = {h.get_text(strip=True) for h in page.select("th.agenda-week__person")}
    assert headings == {"Omar Haddad"}
    current = page.select('nav.agenda-nav a[aria-current="page"]')
    assert {a.get_text(strip=True) for a in current} == {"Week", "Omar Haddad"}


@pytest.mark.django_db
def test_the_day_view_shows_one_day_with_links_around_it(admin_client, soup, agenda_url):
    book(start=local(TUESDAY, 13), who=practitioner("omar-haddad"), patient=ada())
    book(
        start=local(THURSDAY, 13),
        who=practitioner("omar-haddad"),
        patient=details(first_name="Thora", last_name="Thursday"),
    )
    page = soup(admin_client.get(agenda_url, {"view": "day", "date": TUESDAY.isoformat()}))
    [heading] = page.select("h2.agenda-day__heading")
    assert TUESDAY.strftime("%B") in heading.get_text()
    [block] = appointment_blocks(page, "Ada Lovelace")
    # The grid runs from 09:00 (Rosa's start): 13:00 is 240 minutes down, 50 minutes tall.
    assert "* 240)" in block["style"]
    assert "* 50)" in block["style"]
    assert not appointment_blocks(page, "Thora")
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.agenda-nav a")}
    day_before, day_after = TUESDAY - dt.timedelta(days=1), TUESDAY + dt.timedelta(days=1)
    assert f"date={day_before.isoformat()}" in links["Previous day"]
    assert f"date={day_after.isoformat()}" in links["Next day"]
    assert "view=day" in links["Next day"]
    assert "view=week" in links["Week"]
    # The date form has a real label.
    label = page.find("label", attrs={"for": "agenda-date"})
    assert label is not None
    assert page.find("input", id="agenda-date")["value"] == TUESDAY.isoformat()


@pytest.mark.django_db
def test_the_week_view_links_to_the_weeks_around_it_today_and_each_day(
    admin_client, soup, agenda_url
):
    page = soup(admin_client.get(agenda_url, {"date": THURSDAY.isoformat()}))
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.agenda-nav a")}
    assert f"date={(THURSDAY - dt.timedelta(days=7)).isoformat()}" in links["Previous week"]
    assert f"date={(THURSDAY + dt.timedelta(days=7)).isoformat()}" in links["Next week"]
    today = timezone.now().astimezone(timezone.get_default_timezone()).date()
    assert f"date={today.isoformat()}" in links["Today"]
    day_links = [a["href"] for a in page.select("th.agenda-week__day a")]
    monday = THURSDAY - dt.timedelta(days=THURSDAY.weekday())
    assert len(day_links) == 7
    assert "view=day" in day_links[0]
    assert f"date={monday.isoformat()}" in day_links[0]
    # Without a date, the agenda opens on the current week.
    default = soup(admin_client.get(agenda_url))
    assert len(default.select("th.agenda-week__day")) == 7


@pytest.mark.django_db
def test_time_off_and_closures_show_on_the_agenda(admin_client, soup, agenda_url):
    TimeOff.objects.create(
        practitioner=practitioner("rosa-lind"),
        starts_at=local(MONDAY, 14),
        ends_at=local(MONDAY, 16),
        reason="Training course",
    )
    TimeOff.objects.create(
        practitioner=None,
        starts_at=local(MONDAY + dt.timedelta(days=4), 0),
        ends_at=local(MONDAY + dt.timedelta(days=5), 0),
        reason="Staff day",
    )
    page = soup(admin_client.get(agenda_url, {"date": MONDAY.isoformat()}))
    blocks = [" ".join(li.get_text(" ").split()) for li in page.select("li.agenda-block--time-off")]
    assert "2:00\N{EN DASH}4:00 PM Time off Training course" in blocks
    # The closure covers Friday for both practitioners.
    assert blocks.count("All day Clinic closed Staff day") == 2


@pytest.mark.django_db
def test_staff_without_the_permission_are_refused(client, django_user_model, agenda_url):
    book(start=local(TUESDAY, 10), who=practitioner("omar-haddad"), patient=ada())
    editor = django_user_model.objects.create_user(username="editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(agenda_url, {"date": TUESDAY.isoformat()})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert b"Ada L." not in response.content

    editor.user_permissions.add(Permission.objects.get(codename="view_appointment"))
    editor = django_user_model.objects.get(pk=editor.pk)  # drop the permission cache
    client.force_login(editor)
    assert client.get(agenda_url, {"date": TUESDAY.isoformat()}).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, agenda_url):
    response = client.get(agenda_url)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url


def count_queries(client, url, params) -> int:
    assert client.get(url, params).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_agenda_runs_the_same_number_of_queries_for_1_or_20_appointments(
    admin_client, agenda_url, settings
):
    settings.ONLINE_BOOKINGS_AHEAD = 20  # the tests' one patient books them all
    rosa, omar = practitioner("rosa-lind"), practitioner("omar-haddad")
    params = {"date": MONDAY.isoformat()}
    book(start=local(MONDAY, 9), who=rosa)
    one = count_queries(admin_client, agenda_url, params)

    starts = [
        *[(MONDAY + dt.timedelta(days=d), h, rosa) for d in range(4) for h in (10, 11, 14, 15)],
        *[(MONDAY + dt.timedelta(days=d), h, omar) for d in (1, 3) for h in (10, 11)],
    ]
    for day, hour, who in starts[:19]:
        book(start=local(day, hour), who=who, intake=flagged_intake() if hour == 11 else None)
    twenty = count_queries(admin_client, agenda_url, params)
    assert one == twenty
    # With the busy times of the practitioners' own calendars, and the booking policy and
    # catalogue read from the database each time (no cache of the schedule's inputs).
    assert twenty <= 15


# --- The dashboard panel ----------------------------------------------------------------


def panel_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


@pytest.fixture
def busy_tuesday():
    """Today is TUESDAY at 08:00: two appointments today, one cancelled, flagged ones ahead."""
    omar, rosa = practitioner("omar-haddad"), practitioner("rosa-lind")
    today = [
        book(start=local(TUESDAY, 10), who=omar, patient=ada()),
        book(
            start=local(TUESDAY, 14),
            who=rosa,
            patient=details(first_name="Grace", last_name="Hopper"),
            intake=flagged_intake(),
        ),
    ]
    cancelled = book(
        start=local(TUESDAY, 11),
        who=rosa,
        patient=details(first_name="Carl", last_name="Cancelled"),
    )
    services.appointment_cancel(appointment=cancelled, by_staff=True)
    flagged_soon = book(
        start=local(THURSDAY, 10),
        who=omar,
        patient=details(first_name="Frida", last_name="Flagged"),
        intake=flagged_intake(),
    )
    book(  # flagged, but beyond the next fourteen days
        start=local(TUESDAY + dt.timedelta(days=21), 10),
        who=omar,
        patient=details(first_name="Lena", last_name="Later"),
        intake=flagged_intake(),
    )
    book(  # coming up, but not flagged
        start=local(THURSDAY, 13),
        who=omar,
        patient=details(first_name="Una", last_name="Unflagged"),
    )
    return {"today": today, "flagged_soon": flagged_soon, "now": local(TUESDAY, 8)}


@pytest.mark.django_db
def test_the_panel_lists_today_and_flagged_appointments_coming_up(busy_tuesday):
    html = AgendaPanel(now=busy_tuesday["now"]).render_html({})
    text = panel_text(html)
    today_part, flagged_part = text.split("Flagged or not screened, coming up")
    assert (
        "10:00\N{EN DASH}10:50 AM Follow-up treatment with Omar Haddad: Ada Lovelace" in today_part
    )
    assert "2:00\N{EN DASH}2:50 PM Follow-up treatment with Rosa Lind: Grace Hopper" in today_part
    assert "Flagged" in today_part  # Grace's marker
    assert "Carl" not in text  # cancelled
    assert "Frida Flagged" in flagged_part
    assert "Grace Hopper" in flagged_part  # flagged and later today
    assert "Lena" not in text
    assert "Una" not in flagged_part
    assert PRIVATE_INTAKE_TEXT not in html
    assert questions.FLAG_LABELS["blood_thinners"] not in html
    if inspect_url_resolves():
        assert appointment_admin_url(busy_tuesday["flagged_soon"].pk) in html


@pytest.mark.django_db
def test_the_panel_runs_two_queries_however_many_appointments(busy_tuesday):
    panel = AgendaPanel(now=busy_tuesday["now"])
    with CaptureQueriesContext(connection) as few:
        before = panel.render_html({})
    rosa = practitioner("rosa-lind")
    for hour in (9, 15, 16):
        book(start=local(TUESDAY, hour), who=rosa, intake=flagged_intake())
    with CaptureQueriesContext(connection) as more:
        html = panel.render_html({})
    assert html.count("<li") - before.count("<li") == 3 + 3  # today's and the flagged ones
    assert len(few.captured_queries) == len(more.captured_queries) == 2


@pytest.mark.django_db
def test_the_panel_hook_adds_the_panel_only_for_staff_who_may_see_appointments(
    django_user_model,
):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "x")
    editor = django_user_model.objects.create_user(username="editor", password="x")
    request = RequestFactory().get("/admin/")
    for user, expected in [(admin, 1), (editor, 0)]:
        request.user = user
        panels = []
        home_panel_hook(request, panels)
        assert [type(p) for p in panels] == [AgendaPanel] * expected


@pytest.mark.django_db
def test_the_admin_home_page_shows_the_panel(admin_client, admin_user, busy_tuesday):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    panels = []
    for hook in hooks.get_hooks("construct_homepage_panels"):
        hook(request, panels)
    if not any(isinstance(p, AgendaPanel) for p in panels):
        pytest.skip(
            "The agenda panel is not registered yet: booking/wagtail_hooks.py must pass "
            "construct_homepage_panels to booking.staff.agenda.panel.home_panel_hook."
        )
    import time_machine

    with time_machine.travel(busy_tuesday["now"]):
        response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    text = panel_text(response.content.decode())
    assert "Flagged or not screened, coming up" in text
    assert "Ada Lovelace" in text
    assert "Frida Flagged" in text
    assert "Carl" not in text
    assert text.count("Flagged or not screened, coming up") == 1  # the panel is added once


@pytest.mark.django_db
def test_a_practitioners_dashboard_and_agenda_link_only_to_what_they_may_open(
    client, busy_tuesday, agenda_url
):
    """Rosa's dashboard lists her own appointments only; on the shared agenda she sees
    Omar's too, shortened and without a link, never as a link that ends in a 404."""
    rosa = practitioner("rosa-lind")
    rosa.user = staff_member("rosa", PRACTITIONER)
    rosa.save()
    client.force_login(rosa.user)
    with time_machine.travel(busy_tuesday["now"]):
        pages = {
            "dashboard": client.get(reverse("wagtailadmin_home")),
            "agenda": client.get(agenda_url, {"date": TUESDAY.isoformat(), "practitioner": "all"}),
        }
        for name, response in pages.items():
            assert response.status_code == 200, name
            page = BeautifulSoup(response.content, "html.parser")
            links = {a["href"] for a in page.select('a[href*="/appointments/inspect/"]')}
            own = appointment_admin_url(busy_tuesday["today"][1].pk)  # Grace, with Rosa
            assert own in links, name
            for omars in (busy_tuesday["today"][0], busy_tuesday["flagged_soon"]):
                assert appointment_admin_url(omars.pk) not in links, name
            for href in links:
                assert client.get(href).status_code == 200, (name, href)
        dashboard = panel_text(pages["dashboard"].content.decode())
        assert "Grace Hopper" in dashboard
        assert "Frida" not in dashboard and "Ada" not in dashboard  # Omar's patients
        agenda = panel_text(pages["agenda"].content.decode())
        assert "Grace Hopper" in agenda
        assert "Ada L." in agenda and "Lovelace" not in agenda  # Omar's patient, shortened


@pytest.mark.django_db
def test_a_practitioners_agenda_opens_on_their_own_column(client, busy_tuesday, agenda_url):
    rosa = practitioner("rosa-lind")
    rosa.user = staff_member("rosa", PRACTITIONER)
    rosa.save()
    client.force_login(rosa.user)
    own = BeautifulSoup(
        client.get(agenda_url, {"date": TUESDAY.isoformat()}).content, "html.parser"
    )
    assert [th.get_text(strip=True) for th in own.select("th.agenda-week__person")] == ["Rosa Lind"]
    current = {a.get_text(strip=True): a["href"] for a in own.select('nav a[aria-current="page"]')}
    assert set(current) == {"Week", "Rosa Lind"}
    everyone_link = own.find("a", string="Everyone")["href"]
    assert "practitioner=all" in everyone_link
    everyone = BeautifulSoup(client.get(everyone_link).content, "html.parser")
    assert len(everyone.select("th.agenda-week__person")) == 2
    # The day view keeps to her too, and moving on keeps what she chose.
    day = BeautifulSoup(
        client.get(agenda_url, {"date": TUESDAY.isoformat(), "view": "day"}).content,
        "html.parser",
    )
    assert [h.get_text(strip=True) for h in day.select("h3.agenda-column__heading")] == [
        "Rosa Lind"
    ]
    next_week = everyone.find("a", string="Next week")["href"]
    assert "practitioner=all" in next_week


# --- Free time is a link to book it -----------------------------------------------------


def free_links(page) -> list[str]:
    return [a["href"] for a in page.select("a.agenda-free__link")]


@pytest.mark.django_db
def test_free_time_on_the_day_links_to_the_phone_booking_with_who_day_and_time(
    front_desk_client, soup, agenda_url
):
    omar = practitioner("omar-haddad")
    book(start=local(TUESDAY, 10), who=omar, patient=ada())  # 10:00-10:50, held to 11:00
    page = soup(front_desk_client.get(agenda_url, {"view": "day", "date": TUESDAY.isoformat()}))
    book_url = reverse("booking_staff:book_for_patient")
    omars = [link for link in free_links(page) if f"practitioner={omar.pk}&" in link]
    times = [link.rsplit("time=", 1)[1] for link in omars]
    assert all(link.startswith(f"{book_url}?") for link in omars)
    assert all(f"date={TUESDAY.isoformat()}" in link for link in omars)
    # Omar works 10:00-18:00 on Tuesdays (tests/factories/practice.py): his booked hour, with its
    # buffer, is not offered; every half hour after it is.
    assert "10:00" not in times and "10:30" not in times
    assert times[0] == "11:00" and times[-1] == "17:30"
    assert len(times) == 14
    first = page.find("a", href=omars[0])
    assert " ".join(first.get_text(" ").split()) == (
        f"Book Omar Haddad, {TUESDAY:%A} {TUESDAY.day} {TUESDAY:%B}, at + 11:00 AM"
    )


@pytest.mark.django_db
def test_free_time_in_the_week_is_one_link_a_gap_and_none_in_the_past(
    front_desk_client, soup, agenda_url
):
    omar = practitioner("omar-haddad")
    book(start=local(TUESDAY, 13), who=omar, patient=ada())
    desk = get_user(front_desk_client)
    with time_machine.travel(local(TUESDAY, 12, 5)):
        # Up to two weeks ahead: signed in again then, as the session would have expired.
        front_desk_client.force_login(desk)
        page = soup(front_desk_client.get(agenda_url, {"date": TUESDAY.isoformat()}))
    row = next(tr for tr in page.select("tbody tr") if tr.th.get_text(strip=True) == "Omar Haddad")
    tuesday = row.find_all("td")[TUESDAY.weekday()]
    listed = [" ".join(li.get_text(" ").split()) for li in tuesday.select("li")]
    book_omar = f"Book Omar Haddad, {TUESDAY:%A} {TUESDAY.day} {TUESDAY:%B},"
    # Free from the next quarter hour on; the buffer after the appointment is not free.
    assert listed == [
        f"{book_omar} Free 12:15\N{EN DASH}1:00 PM",
        "1:00\N{EN DASH}1:50 PM Follow-up treatment Ada Lovelace First visit",
        f"{book_omar} Free 2:00\N{EN DASH}6:00 PM",
    ]
    monday = row.find_all("td")[0]
    assert not monday.select("a.agenda-free__link")  # yesterday


@pytest.mark.django_db
def test_staff_who_may_not_book_see_free_time_without_a_link(client, soup, agenda_url):
    viewer = staff_member("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_appointment"),
    )
    client.force_login(viewer)
    page = soup(client.get(agenda_url, {"date": TUESDAY.isoformat()}))
    assert not free_links(page)
    assert "Free 10:00 AM\N{EN DASH}6:00 PM" in page.get_text()
