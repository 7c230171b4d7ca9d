"""Fixtures of the staff admin's tests: the staff who sign in and the appointments they see."""

import pytest

from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import Practitioner
from tests.clock import local
from tests.factories.bookings import answers, book, details
from tests.factories.practice import practitioner
from tests.factories.staff import staff_member as staff

from .shared import MARKER, MONDAY, TUESDAY


@pytest.fixture
def front_desk_client(client):
    client.force_login(staff("desk", FRONT_DESK))
    return client


@pytest.fixture
def rosa(db):
    user = staff("rosa-test", PRACTITIONER)
    Practitioner.objects.filter(profile__slug="rosa-lind").update(user=user)
    return user


@pytest.fixture
def rosa_client(client, rosa):
    client.force_login(rosa)
    return client


@pytest.fixture
def appointment():
    return book(
        start=local(MONDAY, 10),
        patient=details(first_name="Nora", last_name="Quill", email="nora@example.com"),
        intake=answers(screen_blood_thinners="yes", medications=MARKER),
    )


@pytest.fixture
def omars_appointment():
    return book(start=local(TUESDAY, 11), who=practitioner("omar-haddad"))
