"""A practitioner's own calendars, and the busy times read from them.

Only start and end are kept of each busy time: no title, place or attendee. The address
(which for an ICS feed holds its secret) and the app password are encrypted at rest like
intake answers; the admin shows ``address_hint`` instead, and logs name sources by id.
"""

from django.db import models

from ..encryption import EncryptedTextField
from .schedule import Practitioner


class CalendarSourceKind(models.TextChoices):
    ICS = "ics", "ICS address"
    CALDAV = "caldav", "CalDAV calendar"


class CalendarSource(models.Model):
    """One calendar of a practitioner's whose busy times patients cannot book."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="calendar_sources"
    )
    kind = models.CharField(max_length=10, choices=CalendarSourceKind.choices)
    label = models.CharField(max_length=100, blank=True)
    address = EncryptedTextField(help_text="The ICS address, or the CalDAV server or calendar.")
    address_hint = models.CharField(max_length=200, editable=False)
    username = models.CharField(max_length=200, blank=True)
    password = EncryptedTextField(null=True, blank=True)
    calendar_name = models.CharField(max_length=200, blank=True)
    own_email = models.EmailField(
        blank=True, help_text="The practitioner's address in this calendar, for invitations."
    )
    include_all_day = models.BooleanField(default=False)
    unanswered_busy = models.BooleanField(default=False)

    # What the last syncs left: the busy times stay as they were when a sync fails.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    covered_until = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    failures = models.PositiveIntegerField(default=0)
    failure_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practitioner", "created_at", "pk"]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} ({self.address_hint})"


class BusyTime(models.Model):
    """A span in a practitioner's own calendar when patients cannot book them."""

    source = models.ForeignKey(CalendarSource, on_delete=models.CASCADE, related_name="busy_times")
    # The source's practitioner, repeated so that free times read busy times in one query.
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["practitioner", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="busy_time_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Busy {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%H:%M} UTC"
