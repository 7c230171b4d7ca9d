"""Writing PEG answers."""

from __future__ import annotations

from django.db import transaction

from ..models import Appointment, PegReport
from .peg import PegAnswers


def peg_record(*, appointment: Appointment, answers: PegAnswers) -> PegReport:
    """Keeps the patient's answers for this appointment, replacing earlier ones for it (a
    patient may change their mind before the visit). Encrypted by the field."""
    with transaction.atomic():
        report, _ = PegReport.objects.update_or_create(
            appointment=appointment, defaults={"answers": answers.as_dict()}
        )
    return report
