"""The private links a patient gets: the manage link, and the waiting list's links.

The manage link's token is a random secret of its own (``secrets.token_urlsafe``), of
which only the SHA-256 is stored (``ManageLink``; booking/manage_links.py makes and reads
them). It is unrelated to the appointment's public id, which is the UID of every calendar
file and feed: knowing a UID, or the site's ``SECRET_KEY``, opens nothing.
"""

import hashlib
import secrets
import uuid

from django.core import signing

# The salt of the manage link as it was before each link had its own secret: a signed
# public id. Kept for migration 0019, which hashes the links already sent.
LEGACY_MANAGE_SALT = "booking.manage-link"


def new_secret() -> str:
    """A fresh link secret: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def secret_hash(token: str) -> str:
    """What the database keeps of a link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def legacy_manage_token(public_id: uuid.UUID) -> str:
    """The manage link's token as it was sent before migration 0019 (the public id signed
    with ``SECRET_KEY``). Only the migration uses it: it is no longer a way in."""
    return signing.Signer(salt=LEGACY_MANAGE_SALT).sign(public_id.hex)


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
