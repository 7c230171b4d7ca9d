"""Health answers encrypted at rest, with keys that can be rotated.

The keys come from ``INTAKE_ENCRYPTION_KEYS`` (Fernet keys, newest first), never from
``SECRET_KEY``: a leaked session-signing key must not open the intake answers, and the
answers' key can be rotated without logging everybody out.

Rotation: put a new key first and keep the old ones after it. New writes use the newest
key, every listed key still reads, and ``manage.py reencrypt_intakes`` rewrites the
stored rows with the newest key; after that the old keys can be removed.

Fernet is AES-128 in CBC mode with an HMAC-SHA256, from the ``cryptography`` package: a
tampered or truncated value fails to decrypt instead of reading as something else.
"""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


class UndecryptableValue(Exception):
    """A stored value that none of the configured keys opens (a key was removed too soon)."""


@cache
def _keys() -> tuple[Fernet, ...]:
    raw = settings.INTAKE_ENCRYPTION_KEYS
    if not raw:
        raise ImproperlyConfigured(
            "INTAKE_ENCRYPTION_KEYS is empty. Generate a key with "
            "`manage.py generate_encryption_key` and set it in the environment."
        )
    try:
        return tuple(Fernet(key) for key in raw)
    except ValueError as error:
        # The message names no key material.
        raise ImproperlyConfigured(
            "INTAKE_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting == "INTAKE_ENCRYPTION_KEYS":
        _keys.cache_clear()


def _fernet() -> MultiFernet:
    return MultiFernet(list(_keys()))


def encrypt(data: bytes) -> str:
    return _fernet().encrypt(data).decode("ascii")


def decrypt(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UndecryptableValue(
            "A stored value could not be decrypted with any key in INTAKE_ENCRYPTION_KEYS."
        ) from error


def encrypt_json(value) -> str:
    return encrypt(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())


def decrypt_json(token: str):
    return json.loads(decrypt(token))


def uses_newest_key(token: str) -> bool:
    """Whether ``token`` was written with the first (newest) key."""
    try:
        _keys()[0].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


class EncryptedJSONField(models.TextField):
    """Any JSON value, stored as a Fernet token in a text column.

    The database only ever sees ciphertext, so it cannot filter, order or index on the
    value; code reads it through the model. ``None`` is stored as SQL NULL (visible as
    "no answer"), everything else is encrypted.
    """

    description = "JSON, encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt_json(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_json(value)

    def value_to_string(self, obj):
        # Serialisation (dumpdata) writes the ciphertext, never the answers.
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # ciphertext differs on every write: no lookup could be right

    def formfield(self, **kwargs):
        return None


class EncryptedTextField(EncryptedJSONField):
    """Free text (a staff note), encrypted at rest."""

    description = "Text, encrypted at rest"

    def formfield(self, **kwargs):
        return models.TextField.formfield(self, **kwargs)
