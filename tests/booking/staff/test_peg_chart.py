"""The PEG chart beside the pain chart on the patient's page: for the treating practitioner,
each look logged like the intake's; never for the front desk, never in a list export."""

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking.access import VIEW_INTAKE_ACTION
from booking.groups import FRONT_DESK
from booking.models import PegReport
from booking.staff import viewsets
from tests.clock import local
from tests.factories.bookings import answers, book, details
from tests.factories.staff import staff_member as staff

from .shared import MONDAY

PEG_VIEW = {"where": "patient page (PEG chart)"}


def peg_visits(appointment):
    """Two later visits with PEG answers: 8, 7, 6 (7.0), then 5, 5, 4 (4.7)."""
    made = []
    for weeks, peg in ((2, (8, 7, 6)), (3, (5, 5, 4))):
        visit = book(
            start=local(MONDAY + dt.timedelta(weeks=weeks), 10),
            patient=details(email=appointment.patient.email),
            intake=answers(),
        )
        PegReport.objects.create(
            appointment=visit,
            answers=dict(zip(["pain", "enjoyment", "activity"], peg, strict=True)),
        )
        made.append(visit)
    return made


@pytest.mark.django_db
def test_the_practitioner_sees_the_peg_chart_and_each_look_is_logged(rosa_client, appointment):
    visits = peg_visits(appointment)
    url = reverse("booking_patient:inspect", args=[appointment.patient.pk])
    page = rosa_client.get(url).content.decode()
    assert "PEG score by visit" in page
    assert "From 7.0 before the first visit to 4.7 before the latest, over 2 visits." in page
    assert "down 2.3 points (33% lower) since the first answers" in page
    logged = ModelLogEntry.objects.filter(action=VIEW_INTAKE_ACTION, data=PEG_VIEW)
    assert sorted(int(e.object_id) for e in logged) == sorted(v.pk for v in visits)
    assert rosa_client.get(url).status_code == 200
    entries = list(ModelLogEntry.objects.values_list("action", "object_id", "data"))
    assert entries.count((VIEW_INTAKE_ACTION, str(visits[0].pk), PEG_VIEW)) == 2, entries


@pytest.mark.django_db
def test_the_front_desk_sees_no_peg_and_nothing_is_logged(client, appointment):
    peg_visits(appointment)
    client.force_login(staff("desk2", FRONT_DESK))
    page = client.get(reverse("booking_patient:inspect", args=[appointment.patient.pk]))
    assert "PEG" not in page.content.decode()
    assert not ModelLogEntry.objects.filter(data=PEG_VIEW).exists()


def test_no_list_export_holds_a_peg_answer():
    exports = [
        view.list_export
        for view in vars(viewsets).values()
        if isinstance(view, type) and isinstance(getattr(view, "list_export", None), list)
    ]
    assert exports  # the appointments' export, at least
    for fields in exports:
        assert not [f for f in fields if "peg" in f.lower() or "pain" in f.lower()]
