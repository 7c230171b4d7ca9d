"""The private links that open an appointment's own page (see, move, cancel)."""

from django.db import models


class ManageLink(models.Model):
    """One link handed to the patient: in an email, or the page a booking ends on.

    Only the SHA-256 of its random secret is kept, so neither this table nor a backup of it
    opens anyone's appointment, and the secret has nothing to do with the appointment's
    public id (the UID every calendar file and feed carries). An appointment gathers one
    row per email sent; each opens it while the appointment is of use (the view decides),
    and the nightly purge deletes them once it is past.
    """

    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="manage_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    # True for the hash of a link sent before each link had a secret of its own: the old
    # signed public id, hashed by migration 0019 so that emails already out keep working.
    migrated = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Manage link {self.pk}"
