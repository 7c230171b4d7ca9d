"""The forms a patient fills in while booking, laid out with django-crispy-forms."""

from .consent import CONSENT_BOXES, ConsentForm
from .details import DetailsForm, EmailCodeForm, ServiceChoiceForm
from .intake import (
    CHECKLISTS,
    INTAKE_QUESTION_NAMES,
    NewPatientIntakeForm,
    ReturningPatientIntakeForm,
    intake_rows,
)
from .patients import SignInForm
from .progress import PegForm
from .waitlist import WaitlistWishForm

__all__ = [
    "CHECKLISTS",
    "CONSENT_BOXES",
    "INTAKE_QUESTION_NAMES",
    "ConsentForm",
    "DetailsForm",
    "EmailCodeForm",
    "NewPatientIntakeForm",
    "PegForm",
    "ReturningPatientIntakeForm",
    "ServiceChoiceForm",
    "SignInForm",
    "WaitlistWishForm",
    "intake_rows",
]
