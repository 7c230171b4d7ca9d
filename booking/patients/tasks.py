"""The emails that prove an address, sent by the task worker so that the visitor's page
answers in the same time whatever the address. Their arguments are sealed
(booking/encryption.py): the queue is a database table, and an address is personal data.
Logs name no address and no code."""

import logging

from django.tasks import task

from .. import encryption
from ..selectors import patient_get_by_email
from ..tasks import MAIL_ERRORS, again_later
from .emails import email_code_message, sign_in_message
from .links import sign_in_link_create

logger = logging.getLogger(__name__)


@task
def send_email_code(*, sealed: str, attempt: int = 1) -> str:
    """The booking's six-digit code, to whatever address was typed (nothing is looked up)."""
    try:
        opened = encryption.decrypt_json(sealed)
    except encryption.UndecryptableValue:
        return "unreadable"
    try:
        email_code_message(to=opened["to"], code=opened["code"]).send()
    except MAIL_ERRORS as error:
        if attempt >= 3:  # a code lasts ten minutes: no use trying for hours
            logger.warning("A booking code email failed %s times; given up", attempt)
            return "given up"
        logger.warning("A booking code email failed (attempt %s)", attempt)
        again_later(send_email_code, attempt, error, sealed=sealed)
        return "retrying"
    return "sent"


@task
def send_sign_in_link(*, sealed: str, attempt: int = 1) -> str:
    """A sign-in link for the patient with this address; for an address the practice does
    not know, nothing (the visitor's page said the same either way)."""
    try:
        email = encryption.decrypt_json(sealed)["to"]
    except (encryption.UndecryptableValue, KeyError, TypeError):
        return "unreadable"
    patient = patient_get_by_email(email=email)
    if patient is None:
        return "not known"
    token = sign_in_link_create(patient=patient)
    try:
        sign_in_message(to=patient.email, first_name=patient.first_name, token=token).send()
    except MAIL_ERRORS as error:
        if attempt >= 3:
            logger.warning("A sign-in email for patient %s failed; given up", patient.pk)
            return "given up"
        logger.warning("A sign-in email for patient %s failed (attempt %s)", patient.pk, attempt)
        again_later(send_sign_in_link, attempt, error, sealed=sealed)
        return "retrying"
    return "sent"
