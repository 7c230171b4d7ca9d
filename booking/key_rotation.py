"""Re-encrypting the stored health answers with the newest key, after a rotation."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models.functions import Cast

from . import encryption
from .models import Appointment, AppointmentNote, Intake

# Every encrypted column: model and field names.
ENCRYPTED = {
    "Intake answers": (Intake, ("pain_score", "answers")),
    "Staff notes": (AppointmentNote, ("text",)),
    "Screening flags": (Appointment, ("flags",)),
}


def reencrypt_all(*, batch_size: int = 500) -> dict[str, tuple[int, int]]:
    """Rewrite every row not yet on the newest key; ``{label: (rewritten, already)}``."""
    return {
        label: _reencrypt(model, fields, batch_size) for label, (model, fields) in ENCRYPTED.items()
    }


def _reencrypt(model, fields: tuple[str, ...], batch_size: int) -> tuple[int, int]:
    rewritten = already = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = _stored_batch_locked(model, fields, after_pk=last_pk, batch_size=batch_size)
            if not rows:
                return rewritten, already
            for row in rows:
                if stale := _stale_fields(row, fields):
                    values = {f: encryption.decrypt_json(row[f"stored_{f}"]) for f in stale}
                    model._base_manager.filter(pk=row["pk"]).update(**values)
                    rewritten += 1
                else:
                    already += 1
            last_pk = rows[-1]["pk"]


def _stored_batch_locked(
    model, fields: tuple[str, ...], *, after_pk: int, batch_size: int
) -> list[dict]:
    """The next ``batch_size`` rows after ``after_pk``: their pk and each field as
    ``stored_<field>``."""
    # The ciphertext as stored (the cast skips the field's decryption), locked
    # so that an edit made meanwhile cannot be overwritten with an older value.
    return list(
        model._base_manager.select_for_update()
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .annotate(**{f"stored_{f}": Cast(f, models.TextField()) for f in fields})
        .values("pk", *(f"stored_{f}" for f in fields))[:batch_size]
    )


def _stale_fields(row: dict, fields: tuple[str, ...]) -> list[str]:
    """The row's fields holding a value encrypted with an older key."""
    return [
        f
        for f in fields
        if row[f"stored_{f}"] is not None and not encryption.uses_newest_key(row[f"stored_{f}"])
    ]
