"""The waiting list: patients who want a time that is full, and the offers made to them.

A freed time is offered to one entry at a time (booking/waitlist/): the time is then
held by an ``Appointment`` row with status "held" that points back at the entry, so the
no-overlap constraint guards it against every other booking. Each offer is a row here,
unique per entry and time, so that no time is offered twice to one patient and every
offer email is sent once, whatever the number of workers.
"""

import uuid

from django.db import models

from ..encryption import EncryptedJSONField


class PartOfDay(models.TextChoices):
    MORNING = "morning", "Morning (before 12:00)"
    AFTERNOON = "afternoon", "Afternoon (12:00 to 17:00)"
    EVENING = "evening", "Evening (after 17:00)"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a time"
    BOOKED = "booked", "Booked"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Entries that may still be offered a time, or hold one now.
OPEN_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """One patient's wish: a service, with someone or anyone, between two dates, on some
    weekdays and parts of the day. The answers to the health questions are kept as a
    booking's are (encrypted), so that a claimed time becomes an appointment at once."""

    wagtail_reference_index_ignore = True  # a patient's record, as an appointment is

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "booking.Patient", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    service = models.ForeignKey("booking.Service", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        "booking.Practitioner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waitlist_entries",
        help_text="Empty: anyone who gives the service.",
    )
    earliest_date = models.DateField()
    latest_date = models.DateField()
    weekdays = models.JSONField(default=list, help_text="Monday is 0; empty means any day.")
    parts_of_day = models.JSONField(default=list, help_text="Empty means any time of day.")
    move_appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The booked appointment to cancel once a sooner time is claimed.",
    )
    urgent = models.BooleanField(default=False, help_text="Offered before everyone else.")
    status = models.CharField(
        max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    intake_kind = models.CharField(max_length=20, blank=True)
    pain_score = EncryptedJSONField(null=True, blank=True)
    answers = EncryptedJSONField(default=dict, blank=True)
    source_page_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text="After this the entry ends by itself.")
    expiry_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-urgent", "created_at", "pk"]
        verbose_name = "waiting-list entry"
        verbose_name_plural = "waiting list"
        indexes = [models.Index(fields=["status", "service"], name="waitlist_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest_date__gte=models.F("earliest_date")),
                name="waitlist_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} waiting for {self.service}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OfferOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    CLAIMED = "claimed", "Claimed"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    GONE = "gone", "Someone else claimed it"


class WaitlistOffer(models.Model):
    """A freed time offered to one entry. ``hold`` is the held appointment row; in the
    broadcast mode close to the time nothing is held and the first claim books it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    practitioner = models.ForeignKey(
        "booking.Practitioner", on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField()
    hold = models.OneToOneField(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="waitlist_offer",
    )
    broadcast = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    outcome = models.CharField(
        max_length=20, choices=OfferOutcome.choices, default=OfferOutcome.PENDING
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    gone_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A time is offered to an entry once, whatever happens to the offer.
            models.UniqueConstraint(
                fields=["entry", "practitioner", "starts_at"], name="waitlist_offer_once"
            ),
            # One pending offer at a time per entry.
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(outcome="pending"),
                name="waitlist_one_pending_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk} to entry {self.entry_id}"
