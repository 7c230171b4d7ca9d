"""The PEG answers a patient gives before a visit (booking/progress/peg.py)."""

from django.db import models

from ..encryption import EncryptedJSONField
from ..progress.peg import PegAnswers


class PegReport(models.Model):
    """The patient's PEG answers before one appointment. Health information: the three
    answers are encrypted at rest like the intake, and each staff look is logged."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="peg"
    )
    # {"pain": 0-10, "enjoyment": 0-10, "activity": 0-10}; the score is computed from them.
    answers = EncryptedJSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "PEG answers"
        verbose_name_plural = "PEG answers"

    def __str__(self) -> str:
        return f"PEG answers for appointment {self.appointment_id}"

    @property
    def peg(self) -> PegAnswers:
        return PegAnswers.from_dict(self.answers)
