"""Who may book what before their first visit: services and practitioners say whether new
patients may book them (``Service.open_to_new_patients``, ``Practitioner.takes_new_patients``).

A patient is new until they have been seen (``selectors.patient_is_new``); online, a visitor
is new unless they proved their email address and a patient seen before matched it. The
rule is checked where every booking is made (``services.appointment_book``) and the choices
offered to a new patient leave out what it would refuse.
"""

from __future__ import annotations

from .models import Practitioner, Service


def service_refusal(service: Service) -> str | None:
    """Why a new patient may not book ``service``, or None when they may."""
    if service.open_to_new_patients:
        return None
    return (
        f"“{service.name}” is for patients we have seen before. For a first visit, please "
        "choose a session open to new patients."
    )


def practitioner_refusal(practitioner: Practitioner | None) -> str | None:
    """Why a new patient may not book with ``practitioner``, or None when they may (or
    when no one is named: the first available who sees new patients is found)."""
    if practitioner is None or practitioner.takes_new_patients:
        return None
    return (
        f"{practitioner.name} sees patients after their first visit with another "
        "practitioner. Please choose another practitioner, or the first available."
    )


def refusal(service: Service, practitioner: Practitioner | None) -> str | None:
    """Why a new patient may not book ``service`` with ``practitioner``, or None."""
    return service_refusal(service) or practitioner_refusal(practitioner)
