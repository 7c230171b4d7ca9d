"""What the staff admin's tests share: the week they book in, the intake marker, the
appointment page."""

from django.urls import reverse

from tests.clock import next_weekday

MONDAY = next_weekday(0)
TUESDAY = next_weekday(1)
MARKER = "QUOKKA-INTAKE-MARKER"


def inspect_url(appointment):
    return reverse("booking_appointment:inspect", args=[appointment.pk])
