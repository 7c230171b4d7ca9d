"""The private link that lets a patient see, move or cancel an appointment without logging in.

The token is the appointment's random public id, signed with the site's secret:
unguessable, carries no personal data, and any change to it breaks the signature.
"""

import uuid

from django.core import signing

SALT = "booking.manage-link"


def manage_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=SALT).sign(public_id.hex)


def public_id_from_token(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
