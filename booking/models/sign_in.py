"""The single-use link that signs a patient in to "My appointments"."""

from django.db import models


class SignInLink(models.Model):
    """One emailed sign-in link. Only a hash of its token is kept, so neither the table
    nor a backup of it opens anyone's page; used once, or never after ``expires_at``."""

    patient = models.ForeignKey(
        "booking.Patient", on_delete=models.CASCADE, related_name="sign_in_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="signinlink_expires")]

    def __str__(self) -> str:
        return f"Sign-in link {self.pk}"
