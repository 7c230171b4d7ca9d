"""Everything on a person's admin pages opens for that person: each demo login (admin,
frontdesk, mei; README's logins) follows every link on their dashboard, agenda and lists,
and none ends in a 404, a 403 or Wagtail's "you do not have permission" redirect."""

import datetime as dt
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.models import Practitioner, Service
from demo.appointments import load_sample_appointments
from demo.management.commands import ensure_demo_users
from tests.factories.bookings import answers, book, details

pytestmark = pytest.mark.demo

ROLES = ["admin", "frontdesk", "mei"]
NOT_FOLLOWED = ("/admin/logout/",)  # signs out: not a page


class _Report:
    def add(self, what: str) -> None:
        pass


def _flagged_soon(practitioner: Practitioner, first_name: str):
    """A flagged appointment coming up with ``practitioner``: what the dashboard's "flagged"
    panel lists (mei's once linked to Daniel Okafor's patient, a 404)."""
    service = Service.objects.get(slug="follow-up-treatment")
    now = timezone.now()
    [slot, *_] = selectors.slot_list_free(
        service=service,
        practitioner=practitioner,
        first_day=timezone.localdate(now) + dt.timedelta(days=2),
        days=7,
        now=now,
    )
    return book(
        start=slot.start,
        service="follow-up-treatment",
        who=practitioner,
        patient=details(first_name=first_name, last_name="Linkcheck"),
        intake=answers(kind="returning", screen_blood_thinners="yes"),
    )


@pytest.fixture
def demo(db, tmp_path, monkeypatch):
    """The demo as ``make run`` leaves it: sample appointments, the three logins."""
    monkeypatch.setattr(ensure_demo_users, "CREDENTIALS_FILE", tmp_path / "credentials")
    call_command("ensure_demo_users", stdout=io.StringIO())
    load_sample_appointments(_Report())
    return {
        p.profile.slug: _flagged_soon(p, p.profile.slug.split("-")[0].title())
        for p in Practitioner.objects.select_related("profile")
    }


def _pages() -> list[str]:
    agenda = reverse("booking_staff:agenda")
    today = timezone.localdate().isoformat()
    return [
        reverse("wagtailadmin_home"),
        agenda,
        f"{agenda}?practitioner=all",
        f"{agenda}?view=day&date={today}&practitioner=all",
        reverse("booking_appointment:index"),
        f"{reverse('booking_appointment:index')}?when=past",
        reverse("booking_patient:index"),
    ]


def _hrefs(html: str) -> list[str]:
    """Every link's address, the menu's too (Wagtail's sidebar is drawn from JSON)."""
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [anchor["href"] for anchor in soup.find_all("a", href=True)]
    if menu := soup.find("script", id="wagtail-sidebar-props"):
        hrefs += re.findall(r'"url": "(/[^"]*)"', menu.string or "")
    return hrefs


def _links(html: str) -> set[str]:
    """The page's links to this site, once a kind: the same path with the same parameters
    (a free time on the agenda, another day) is followed once."""
    found: dict[tuple, str] = {}
    for href in _hrefs(html):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, tel:, or a place on the same page
        if parts.path.startswith(NOT_FOLLOWED):
            continue
        names = frozenset(name for name, _ in parse_qsl(parts.query))
        found.setdefault((parts.path, names), href)
    return set(found.values())


def _refused(response) -> str | None:
    if response.status_code in (403, 404) or response.status_code >= 500:
        return str(response.status_code)
    if response.status_code in (301, 302):
        target = urlsplit(response["Location"]).path
        if target in (reverse("wagtailadmin_home"), reverse("wagtailadmin_login")):
            return f"sent to {target}"  # Wagtail's way of saying "no permission"
    return None


@pytest.mark.parametrize("username", ROLES)
def test_every_link_on_a_roles_pages_opens_for_them(client, demo, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    followed, broken = set(), []
    for page in _pages():
        response = client.get(page)
        assert response.status_code == 200, (username, page)
        for href in _links(response.content.decode()) - followed:
            followed.add(href)
            if problem := _refused(client.get(href)):
                broken.append(f"{page} -> {href}: {problem}")
    assert broken == [], username
    # The pages were full of links: the agenda's appointments and free time among them.
    assert any("/appointments/inspect/" in href for href in followed), username
    # From the menu: the agenda, and the phone booking, which practitioners may use too.
    assert reverse("booking_staff:agenda") in followed, username
    assert reverse("booking_staff:book_for_patient") in followed, username
    assert len(followed) > 20, username


def test_mei_is_not_shown_what_she_may_not_open(client, demo):
    """Daniel Okafor's flagged patient is not on mei's dashboard (it once was, as a 404)."""
    client.force_login(get_user_model().objects.get(username="mei"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mei Linkcheck" in dashboard
    assert "Daniel L" not in dashboard  # neither in full nor shortened
    daniels = demo["daniel-okafor"]
    agenda = client.get(
        reverse("booking_staff:agenda"),
        {"practitioner": "all", "date": daniels.local_starts_at.date().isoformat()},
    )
    text = agenda.content.decode()
    assert "Daniel L." in text and "Daniel Linkcheck" not in text  # seen, not opened
