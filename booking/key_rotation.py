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
            # The ciphertext as stored (the cast skips the field's decryption), locked
            # so that an edit made meanwhile cannot be overwritten with an older value.
            rows = list(
                model._base_manager.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .annotate(**{f"stored_{f}": Cast(f, models.TextField()) for f in fields})
                .values("pk", *(f"stored_{f}" for f in fields))[:batch_size]
            )
            if not rows:
                return rewritten, already
            for row in rows:
                stale = [
                    f
                    for f in fields
                    if row[f"stored_{f}"] is not None
                    and not encryption.uses_newest_key(row[f"stored_{f}"])
                ]
                if stale:
                    values = {f: encryption.decrypt_json(row[f"stored_{f}"]) for f in stale}
                    model._base_manager.filter(pk=row["pk"]).update(**values)
                    rewritten += 1
                else:
                    already += 1
            last_pk = rows[-1]["pk"]
