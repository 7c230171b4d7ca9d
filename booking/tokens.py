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


# The waiting list's links (booking/waitlist/): an offer's claim link and an entry's own
# page, each signed with a salt of its own so that one kind never opens the other.
OFFER_SALT = "booking.waitlist-offer"
ENTRY_SALT = "booking.waitlist-entry"


def offer_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=OFFER_SALT).sign(public_id.hex)


def entry_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=ENTRY_SALT).sign(public_id.hex)


def public_id_from_signed(token: str, *, salt: str) -> uuid.UUID | None:
    """The id a waiting-list link carries, or None for a link changed or made up."""
    try:
        return uuid.UUID(hex=signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
