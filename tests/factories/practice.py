"""A practice of the tests' own: its services, its practitioners and their weekly hours.

Booking tests never read the demo's schedule: the ``practice`` fixture (tests/conftest.py)
puts this one in its place (``practice_create``), so editing demo/ cannot change what they
see."""

import datetime as dt
from decimal import Decimal

from django.utils.text import slugify

from booking.models import (
    Appointment,
    Practitioner,
    Service,
    TimeOff,
    WaitlistEntry,
    WorkingHours,
)
from practice.models import PractitionerProfile

SERVICES = {
    "new-patient-visit": {
        "name": "New patient visit",
        "duration_minutes": 75,
        "price": Decimal("120.00"),
        "sort_order": 1,
        "for_new_patients": True,
    },
    "follow-up-treatment": {
        "name": "Follow-up treatment",
        "duration_minutes": 50,
        "price": Decimal("90.00"),
        "sort_order": 2,
    },
    "electroacupuncture": {
        "name": "Follow-up with electroacupuncture",
        "duration_minutes": 50,
        "price": Decimal("95.00"),
        "sort_order": 3,
        "uses_electrical_stimulation": True,
    },
}

# Weekly hours in the practice's zone, Monday = 0: Rosa works weekdays with a lunch break,
# Omar on Tuesdays, Thursdays and Saturday mornings.
PRACTITIONERS = {
    "rosa-lind": {
        "name": "Rosa Lind",
        "hours": [
            *[(day, "09:00", "12:30") for day in range(4)],
            *[(day, "13:30", "18:00") for day in range(4)],
            (4, "09:00", "14:00"),
        ],
        "services": ["new-patient-visit", "follow-up-treatment", "electroacupuncture"],
    },
    "omar-haddad": {
        "name": "Omar Haddad",
        "hours": [(1, "10:00", "18:00"), (3, "10:00", "18:00"), (5, "09:00", "13:00")],
        "services": ["follow-up-treatment", "electroacupuncture"],
    },
}


def service_create(*, slug: str, name: str, **fields) -> Service:
    """An active service; ``fields`` as on the model (duration_minutes, price, ...)."""
    values = {"description": f"{name}, as the tests define it.", "price": Decimal("90.00")}
    return Service.objects.create(slug=slug, name=name, **(values | fields))


def practitioner_create(
    *, name: str, hours=(), services=(), slug: str | None = None, user=None
) -> Practitioner:
    """A bookable practitioner with a public profile, weekly hours and services."""
    profile = PractitionerProfile.objects.create(
        name=name, slug=slug or slugify(name), short_bio=f"{name} treats back and neck pain."
    )
    practitioner = Practitioner.objects.create(profile=profile, user=user)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            practitioner=practitioner,
            weekday=weekday,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
        )
        for weekday, start, end in hours
    )
    practitioner.services.add(*services)
    return practitioner


def practice_create() -> None:
    """Replaces whatever schedule the database holds with SERVICES and PRACTITIONERS."""
    WaitlistEntry.objects.all().delete()
    Appointment.with_holds.all().delete()
    TimeOff.objects.all().delete()
    Practitioner.objects.all().delete()
    Service.objects.all().delete()
    services = {slug: service_create(slug=slug, **fields) for slug, fields in SERVICES.items()}
    for slug, spec in PRACTITIONERS.items():
        practitioner_create(
            slug=slug,
            name=spec["name"],
            hours=spec["hours"],
            services=[services[s] for s in spec["services"]],
        )


def practitioner(slug: str = "rosa-lind") -> Practitioner:
    return Practitioner.objects.get(profile__slug=slug)
