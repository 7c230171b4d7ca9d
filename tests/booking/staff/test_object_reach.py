"""No member of staff opens by id what their list does not show them.

The walk is found, not listed: every admin viewset over a booking model, and every admin
address under its prefix that takes the object's id (Wagtail's inspect, edit, history,
usage, delete and copy, and the booking pages beside them: cancel, outcome, note,
export, erase, ...), plus the list's CSV and Excel exports. A new viewset or a new
address is walked without changing this file; a new model fails until ``BUILDERS`` says
how to make one of its objects.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from booking.groups import FRONT_DESK, PRACTITIONER, ROLES
from booking.models import (
    Appointment,
    Patient,
    Practitioner,
    Service,
    TimeOff,
    WaitlistEntry,
)
from tests.clock import local
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member as staff

from ..waitlist.people import join
from .shared import MONDAY, TUESDAY

pytestmark = pytest.mark.django_db

# The patient only Omar treats: Rosa may not learn she exists.
FARSIDE = "Zelda Farside"
NOT_REACHED = {403, 404, 405}


def _booking_viewsets() -> list[ModelViewSet]:
    assert get_resolver().url_patterns  # loading the admin's URLs registers its viewsets
    return [
        viewset
        for viewset in admin_viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model._meta.app_label == "booking"
    ]


def _routes(patterns, route="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _routes(pattern.url_patterns, route + str(pattern.pattern), namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route + str(pattern.pattern), ":".join((*namespaces, pattern.name))


def object_addresses(viewset: ModelViewSet, obj) -> list[str]:
    """Every admin address under the viewset's prefix that opens ``obj`` by its id."""
    prefix = f"admin/{viewset.url_prefix}/"
    found = set()
    for route, name in _routes(get_resolver().url_patterns):
        if not route.lstrip("^").startswith(prefix) or "pk>" not in route:
            continue
        try:
            found.add(reverse(name, kwargs={"pk": obj.pk}))
        except NoReverseMatch:
            continue  # needs a second id as well (a practitioner's calendar source)
    return sorted(found)


def export_addresses(viewset: ModelViewSet) -> list[str]:
    index = viewset.menu_url  # the list (a snippet's is named "list", not "index")
    return [f"{index}?export=csv", f"{index}?export=xlsx"] if viewset.list_export else []


@pytest.fixture
def world():
    """Rosa's patient Nora, and Zelda Farside whom only Omar treats (an appointment and a
    waiting-list entry with him), Omar's time off, the services."""
    omar = practitioner("omar-haddad")
    first, last = FARSIDE.split()
    farside = details(first_name=first, last_name=last, email="zelda@example.com")
    omars = book(start=local(TUESDAY, 11), who=omar, patient=farside)
    nora = book(start=local(MONDAY, 10), patient=details(first_name="Nora", last_name="Quill"))
    entry = join(details=farside, answers=answers(), practitioner=omar, day=TUESDAY)
    time_off = TimeOff.objects.create(
        practitioner=omar,
        starts_at=local(TUESDAY + dt.timedelta(days=7), 9),
        ends_at=local(TUESDAY + dt.timedelta(days=7), 18),
        reason="Course",
    )
    return {
        "omars": omars,
        "nora": nora,
        "entry": entry,
        "time_off": time_off,
        "farside": omars.patient,
    }


# How to find, in the world, one object of each model the admin has a viewset for.
BUILDERS = {
    Appointment: lambda w: w["omars"],
    Patient: lambda w: w["farside"],
    WaitlistEntry: lambda w: w["entry"],
    Practitioner: lambda w: practitioner("omar-haddad"),
    TimeOff: lambda w: w["time_off"],
    Service: lambda w: Service.objects.get(slug="follow-up-treatment"),
}


def _roles():
    """Each role, with the models whose world object it must not reach."""
    rosa = staff("rosa-test", PRACTITIONER)
    Practitioner.objects.filter(profile__slug="rosa-lind").update(user=rosa)
    no_role = staff("no-role")
    no_role.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {
        # Practitioners and hours, time off and services are every practitioner's to see.
        "practitioner": (rosa, {Appointment, Patient, WaitlistEntry}),
        # Front desk runs the whole schedule: nothing in it is out of reach by object.
        "front desk": (staff("desk", FRONT_DESK), set()),
        "signed in without a role": (no_role, set(BUILDERS)),
        "superuser": (
            get_user_model().objects.create_superuser("root", "root@example.com", "pw"),
            set(),
        ),
    }


def test_every_role_is_walked():
    """A role added to booking/groups.py fails here until the walk says what it must not
    reach."""
    walked = {PRACTITIONER, FRONT_DESK}
    assert set(ROLES) <= walked, f"add {set(ROLES) - walked} to _roles()"


def test_every_booking_viewset_has_an_object_to_walk_with():
    models = {viewset.model for viewset in _booking_viewsets()}
    assert models, "no booking viewsets found"
    assert models <= set(BUILDERS), f"add a builder for {models - set(BUILDERS)}"


def test_no_role_reaches_by_id_an_object_its_list_hides(client, world):
    walked = 0
    for role, (user, out_of_reach) in _roles().items():
        client.force_login(user)
        for viewset in _booking_viewsets():
            obj = BUILDERS[viewset.model](world)
            addresses = object_addresses(viewset, obj)
            assert addresses, viewset.name
            if viewset.model not in out_of_reach:
                # The walk's control: whoever sees everything opens each object.
                if viewset.inspect_view_enabled and role in ("superuser", "front desk"):
                    inspect = reverse(viewset.get_url_name("inspect"), args=[obj.pk])
                    assert client.get(inspect).status_code == 200, (role, inspect)
                continue
            for address in addresses:
                for method in (client.get, client.post):
                    response = method(address)
                    walked += 1
                    reached = response.status_code not in NOT_REACHED and not (
                        response.status_code == 302 and response["Location"] == "/admin/"
                    )
                    assert not reached, (role, method.__name__, address, response.status_code)
                    assert FARSIDE.encode() not in response.content, (role, address)
            for address in export_addresses(viewset):
                response = client.get(address)
                body = b"".join(response.streaming_content) if response.streaming else b""
                assert str(obj).encode() not in body, (role, address)
                assert b"Farside" not in body, (role, address)
    # Three viewsets for the practitioner, six for the user without a role, each with
    # several addresses, each asked twice.
    assert walked > 60


def test_a_practitioner_opens_her_own_patients_and_exports_only_them(client, world):
    rosa, _ = _roles()["practitioner"]
    client.force_login(rosa)
    nora = world["nora"]
    for address in (
        reverse("booking_appointment:inspect", args=[nora.pk]),
        reverse("booking_patient:inspect", args=[nora.patient.pk]),
    ):
        assert client.get(address).status_code == 200, address
    body = b"".join(client.get("/admin/bookings/appointments/?export=csv").streaming_content)
    assert b"Nora" in body
    assert b"Farside" not in body


def test_a_practitioner_sees_her_patients_waiting_list_entries_and_not_a_colleagues(client, world):
    rosa, _ = _roles()["practitioner"]
    nora = world["nora"].patient
    theirs = join(
        details=details(first_name="Nora", last_name="Quill", email=nora.email),
        practitioner=practitioner("omar-haddad"),
        day=TUESDAY,
    )
    hers = join(details=details(first_name="Nora", last_name="Quill", email=nora.email))
    assert {theirs.patient_id, hers.patient_id} == {nora.pk}
    client.force_login(rosa)
    page = client.get(reverse("booking_patient:inspect", args=[nora.pk])).content.decode()
    assert reverse("booking_waitlist:inspect", args=[hers.pk]) in page
    assert reverse("booking_waitlist:inspect", args=[theirs.pk]) not in page
