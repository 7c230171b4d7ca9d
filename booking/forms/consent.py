"""Consent to treatment, and the privacy notice and cancellation policy acknowledged.

In the online booking it is given on the summary, right above "Confirm the booking" (or
"Join the waiting list"): the health questions stay short on a phone (issue 27) and the
consent sits next to what it agrees to. The questions a phone-booked patient answers through
their link are one page of their own, with the consent at its end (booking/forms/intake.py).
Nothing of it is stored: a booking exists only once it was given.
"""

from crispy_forms.layout import HTML, Fieldset
from django import forms

from .layout import form_helper

CONSENT_BOXES = {"consent_treatment", "policies_ack"}
CONSENT_TEXT = HTML('{% include "booking/includes/consent_text.html" %}')


def consent_fields(*, returning: bool) -> dict[str, forms.Field]:
    """Two ticks for a new patient, one for a returning patient who has given both before."""
    if returning:
        return {
            "consent_treatment": forms.BooleanField(
                label=(
                    "I consent to treatment as before, and I accept the privacy notice and the "
                    "cancellation policy."
                ),
                error_messages={"required": "Please give your consent to book."},
            )
        }
    return {
        "consent_treatment": forms.BooleanField(
            label=(
                "I understand what acupuncture treatment involves and I consent to it "
                "(see the consent information above)."
            ),
            error_messages={"required": "Please give your consent to treatment to book."},
        ),
        "policies_ack": forms.BooleanField(
            label="I have read the privacy notice and the cancellation policy.",
            error_messages={
                "required": "Please confirm you have read the privacy notice and the "
                "cancellation policy."
            },
        ),
    }


class ConsentForm(forms.Form):
    """The consent on the booking's summary, before anything is booked."""

    def __init__(self, *args, returning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(consent_fields(returning=returning))
        self.helper = form_helper(Fieldset("Consent", CONSENT_TEXT, *self.fields))
