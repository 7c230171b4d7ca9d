"""The forms a patient fills in while booking, laid out with django-crispy-forms."""

from .details import DetailsForm, ServiceChoiceForm
from .intake import (
    CHECKLISTS,
    CONSENT_BOXES,
    INTAKE_QUESTION_NAMES,
    NewPatientIntakeForm,
    ReturningPatientIntakeForm,
    intake_rows,
)
from .waitlist import WaitlistWishForm

__all__ = [
    "CHECKLISTS",
    "CONSENT_BOXES",
    "INTAKE_QUESTION_NAMES",
    "DetailsForm",
    "NewPatientIntakeForm",
    "ReturningPatientIntakeForm",
    "ServiceChoiceForm",
    "WaitlistWishForm",
    "intake_rows",
]
