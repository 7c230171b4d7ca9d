"""The patient record every way in shares: the one a booking, a course or a waiting-list
entry is made for. Apart from ``booking.services``, so that the waiting list can use it
without importing the booking services (which must not know the waiting list)."""

from __future__ import annotations

from .. import selectors
from ..contracts import PatientDetails
from ..models import Patient


def patient_get_or_create(details: PatientDetails) -> Patient:
    """The patient these details name (by email; with none, by phone, name and date of
    birth), or a new one. An existing record is not overwritten: whoever types an email
    address does not get to change that person's details."""
    patient = selectors.patient_get_for_details(details=details)
    if patient is None:
        patient = Patient.objects.create(
            email=details.email.strip(),
            first_name=details.first_name.strip(),
            last_name=details.last_name.strip(),
            phone=details.phone.strip(),
            date_of_birth=details.date_of_birth,
        )
    return patient
