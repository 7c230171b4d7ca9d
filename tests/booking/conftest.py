"""Every booking test that uses the database sees the tests' own practice, not the demo's."""

import pytest

from booking.models import Appointment, Course, Intake, Patient, WaitlistEntry


@pytest.fixture(autouse=True)
def _own_practice(request):
    """``practice`` (tests/conftest.py) for every test here with the database; pytest-django's
    own autouse fixture has opened it by now. A journey through the demo's own pages
    (``@pytest.mark.demo``) keeps the demo's schedule."""
    if request.node.get_closest_marker("demo"):
        return
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("practice")


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits, outside the per-test transaction (the tests of racing connections, on
    PostgreSQL); removes what it made afterwards: the patients it added, with their
    waiting-list entries, answers, appointments and holds, and courses."""
    with django_db_blocker.unblock():
        before = set(Patient.objects.values_list("pk", flat=True))
        yield
        made = Patient.objects.exclude(pk__in=before)
        WaitlistEntry.objects.filter(patient__in=made).delete()
        Intake.objects.filter(appointment__patient__in=made).delete()
        Appointment.with_holds.filter(patient__in=made).delete()
        Course.objects.filter(patient__in=made).delete()
        made.delete()
