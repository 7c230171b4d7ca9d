"""Patients, their appointments and the intake answered for each appointment."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from practice.local_time import moment

from ..encryption import EncryptedJSONField, EncryptedTextField
from ..intake import precautions_for, rules_from_precautions
from ..questions import Rule

SCREENING_STOPPED = "Stopped at screening: call the patient"


class Patient(models.Model):
    """One record per person, found again by email address; a caller with no email, whom
    only staff can book, by phone, name and date of birth (``selectors.patient_find``)."""

    email = models.EmailField(
        max_length=254,
        blank=True,
        help_text="Empty for a patient booked by phone who has none: they get no emails.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=40)
    date_of_birth = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # One record per address; any number of patients without one.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="patient_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_email(self) -> bool:
        """Whether the practice can write to this patient (confirmations, reminders, the
        manage link): not for a caller booked by phone without an address."""
        return bool(self.email)

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()


class AppointmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"
    # A time kept for one patient on the waiting list until they claim it or the hold
    # runs out (booking/waitlist/): not an appointment yet, but it holds the time.
    HELD = "held", "Held for the waiting list"


class AppointmentQuerySet(models.QuerySet):
    def holding_time(self):
        """Appointments that keep their time from others: all but the cancelled ones, the
        waiting list's holds included. Call it on ``Appointment.with_holds``."""
        return self.exclude(status=AppointmentStatus.CANCELLED)


class BookedManager(models.Manager.from_queryset(AppointmentQuerySet)):
    """Appointments as the practice reads them: without the waiting list's holds, which no
    list, export, reminder, report or patient's record may count as a booking."""

    def get_queryset(self):
        return super().get_queryset().exclude(status=AppointmentStatus.HELD)


class Appointment(models.Model):
    """A booked session. Times are stored in UTC; ``blocked_until`` includes the buffer.

    On PostgreSQL an exclusion constraint (see the migrations) refuses two
    appointments of one practitioner whose [starts_at, blocked_until) ranges overlap,
    unless one of them is cancelled. A waiting list's hold is a row here too (status
    "held"), so the same constraint keeps every booking path off a held time.
    """

    # A patient's record, not content: kept out of Wagtail's reference index, which would
    # list it under the article booked from (its "usage", seen by every editor) and cost
    # a queued task on every save of every appointment.
    wagtail_reference_index_ignore = True

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        "booking.Practitioner", on_delete=models.PROTECT, related_name="appointments"
    )
    service = models.ForeignKey(
        "booking.Service", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    blocked_until = models.DateTimeField(
        help_text="The end of the session plus the buffer after it."
    )
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.CONFIRMED
    )
    # The screening's flags ("pregnancy", "iv_drugs", ...) are health information: encrypted
    # with the answers. What the schedule needs of them, the rules they set ("check with the
    # patient", "no electrical stimulation"), is kept in plain text beside them, in step on
    # every save, so that lists filter on it without opening anything.
    flags = EncryptedJSONField(
        default=list, blank=True, help_text="Screening answers the practitioner must know about."
    )
    precautions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The rules the flags set (their names), for the schedule: never the flags.",
    )
    screened = models.BooleanField(
        default=True,
        help_text="Whether the patient has answered the health questions for this visit "
        "(a phone booking has not, until they answer through the link in their email).",
    )
    screening_stopped_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the patient, answering the health questions through their link, "
        "met a sign that needs medical care first (nothing of the answers is kept): the "
        "practice calls them.",
    )
    is_first_visit = models.BooleanField(default=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article the patient booked from, if any.",
    )
    booked_by_staff = models.BooleanField(default=False)
    course = models.ForeignKey(
        "booking.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        help_text="The course of treatment this session belongs to, if any.",
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised at every change, for calendar programs."
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    hold_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A hold's end: after it, the time goes to the next."
    )
    hold_for = models.ForeignKey(
        "booking.WaitlistEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holds",
        help_text="The waiting-list entry this time is held, or was held, for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The first manager is the default one (related lists, the admin): holds left out.
    objects = BookedManager()
    # Every row, holds included: what holds time, and the waiting list's own writes.
    with_holds = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        # Ten years of appointments (bench/decade_bench.py). The start with the end serves
        # both what is still to come and what is past, in order, and a week's agenda,
        # reading the index alone: with an index on either alone, SQLite (which keeps no
        # statistics) walks every past year for one of them. The free times are found
        # from the end of what holds time, the article report from when it was booked.
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="appointment_schedule_idx"),
            models.Index(fields=["starts_at", "ends_at"], name="appointment_times_idx"),
            models.Index(fields=["practitioner", "blocked_until"], name="appointment_held_idx"),
            models.Index(fields=["created_at"], name="appointment_booked_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at"))
                & models.Q(blocked_until__gte=models.F("ends_at")),
                name="appointment_times_in_order",
            ),
            # A hold always ends: the sweep (booking/waitlist/) releases it then.
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(hold_expires_at__isnull=False),
                name="appointment_hold_has_an_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} with {self.practitioner}, {self.when}"

    def save(self, *args, **kwargs):
        self.precautions = precautions_for(self.flags or [])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "flags" in update_fields:
            kwargs["update_fields"] = {*update_fields, "precautions"}
        super().save(*args, **kwargs)

    @property
    def is_flagged(self) -> bool:
        return bool(self.precautions)

    @property
    def when(self) -> str:
        """The start as staff read it, in the practice's time zone."""
        return moment(self.starts_at)

    @property
    def booked_from(self) -> str:
        """The title of the article the patient booked from, if any (for exports)."""
        return self.source_page.title if self.source_page_id else ""

    @property
    def flag_marker(self) -> str:
        if not self.screened and self.screening_stopped_at:
            return SCREENING_STOPPED
        if not self.screened:
            return "Not screened yet"
        return "Flagged" if self.precautions else ""

    @property
    def rules(self) -> list[str]:
        """What the flags change about the treatment, as front desk may read it (from the
        plain ``precautions``). No electrical stimulation on a session whose health answers
        have not come in yet."""
        rules = set(rules_from_precautions(self.precautions))
        if not self.screened and self.service.uses_electrical_stimulation:
            rules.add(Rule.NO_ELECTRICAL)
        return [str(rule) for rule in Rule if rule in rules]

    @property
    def local_starts_at(self):
        """The start in the practice's time zone, as staff read it."""
        return self.starts_at.astimezone(timezone.get_default_timezone())

    def move_to(self, start: dt.datetime) -> None:
        """Moves the appointment to ``start`` (aware), keeping its length and its buffer:
        the sequence is raised (a calendar updates the same event) and the reminder is due
        again. Writes those fields only. The caller checks the time is free and holds the
        row; should the database refuse the time, this copy keeps its old times."""
        before = (self.starts_at, self.ends_at, self.blocked_until, self.sequence)
        length, buffer = self.ends_at - self.starts_at, self.blocked_until - self.ends_at
        self.starts_at, self.ends_at = start, start + length
        self.blocked_until = self.ends_at + buffer
        self.sequence += 1
        reminder_sent_at, self.reminder_sent_at = self.reminder_sent_at, None
        moved = ["starts_at", "ends_at", "blocked_until", "sequence", "reminder_sent_at"]
        try:
            self.save(update_fields=[*moved, "updated_at"])
        except Exception:
            self.starts_at, self.ends_at, self.blocked_until, self.sequence = before
            self.reminder_sent_at = reminder_sent_at
            raise


class IntakeKind(models.TextChoices):
    NEW_PATIENT = "new", "New patient"
    RETURNING = "returning", "Returning patient"


class Intake(models.Model):
    """What the patient answered before this appointment. Health information: handle with care."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="intake")
    kind = models.CharField(max_length=20, choices=IntakeKind.choices)
    # The answers and the pain score are health information: encrypted at rest
    # (booking/encryption.py), readable only through the model.
    pain_score = EncryptedJSONField(
        help_text="Pain now, 0 (none) to 10 (worst).",
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    answers = EncryptedJSONField(default=dict)
    consented_at = models.DateTimeField(help_text="When the patient consented to treatment.")
    privacy_acknowledged_at = models.DateTimeField()
    cancellation_policy_acknowledged_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Intake for appointment {self.appointment_id}"


class NoteKind(models.TextChoices):
    # Health information ("anxiety, on sertraline"): the treating practitioner and
    # superusers read it, and each look is logged, as with the intake answers.
    CLINICAL = "clinical", "Clinical: the treating practitioner only"
    # What the schedule needs ("prefers mornings", "call before 5"): everyone on it.
    DESK = "desk", "Desk: everyone on the schedule"


class AppointmentNote(models.Model):
    """A private note by staff on an appointment; patients never see it. Who reads it
    depends on its kind (``booking.access.notes_visible_to``)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.CLINICAL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on appointment {self.appointment_id}"
