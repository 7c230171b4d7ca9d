"""Booking test data built through the booking service, as the site builds it."""

import itertools

from booking import services
from booking.models import Practitioner, Service

_emails = itertools.count(1)


def practitioner(slug: str = "mei-lin-harper") -> Practitioner:
    return Practitioner.objects.get(profile__slug=slug)


def details(**overrides) -> services.PatientDetails:
    import datetime as dt

    values = {
        "first_name": "Test",
        "last_name": "Patient",
        "email": f"patient{next(_emails)}@example.com",
        "phone": "(555) 010-0000",
        "date_of_birth": dt.date(1975, 1, 1),
    }
    values.update(overrides)
    return services.PatientDetails(**values)


def answers(**overrides) -> services.IntakeAnswers:
    from booking import intake

    values = {f"screen_{k}": "no" for k in intake.SCREENING}
    values.update({f"red_{k}": "no" for k in intake.RED_FLAGS})
    values.update(overrides)
    return services.IntakeAnswers(kind="new", pain_score=5, answers=values)


ANYONE = None
_DEFAULT = object()


def book(*, start, service: str = "follow-up-treatment", who=_DEFAULT, **kwargs):
    """Books through the service; ``who=ANYONE`` asks for the first available practitioner."""
    return services.appointment_book(
        service=Service.objects.get(slug=service),
        practitioner=practitioner() if who is _DEFAULT else who,
        start=start,
        details=kwargs.pop("patient", None) or details(),
        answers=kwargs.pop("intake", None) or answers(),
        **kwargs,
    )
