"""Who works when: practitioners, weekly hours, time off and the booking policy."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from practice.local_time import clock, local, moment


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Practitioner(ClusterableModel):
    """A practitioner who can be booked: a staff user with a public profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioner",
        help_text="The staff account this practitioner logs in with.",
    )
    profile = models.OneToOneField(
        "practice.PractitionerProfile",
        on_delete=models.PROTECT,
        related_name="practitioner",
        help_text="The public profile shown to patients.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive practitioners get no bookings."
    )
    takes_new_patients = models.BooleanField(
        "sees new patients",
        default=True,
        help_text=(
            "Untick for a practitioner who sees patients only after their first visit with "
            "another: a patient with no visit yet is not offered them, online or by phone."
        ),
    )
    calendar_token = models.CharField(
        max_length=64,
        default=new_calendar_token,
        unique=True,
        editable=False,
        help_text="The secret in the private calendar feed's address.",
    )

    # The weekly hours have a page of their own, a row a day (booking/staff/week.py).
    panels = [
        FieldPanel("profile"),
        FieldPanel("user"),
        FieldPanel("is_active"),
        FieldPanel("takes_new_patients"),
    ]

    class Meta:
        ordering = ["profile__name"]

    def __str__(self) -> str:
        return self.profile.name

    @property
    def name(self) -> str:
        return self.profile.name


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class WorkingHours(models.Model):
    """One range of working time on a weekday, in the practice's local time."""

    panels = [FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")]

    practitioner = ParentalKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start_time"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="working_hours_end_after_start",
                violation_error_message="The hours must end after they start.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {clock(self.start_time)} to {clock(self.end_time)}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "The hours must end after they start."})


class TimeOff(models.Model):
    """Time a practitioner is away, or the whole clinic is closed (no practitioner)."""

    practitioner = models.ForeignKey(
        Practitioner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_off",
        help_text="Leave empty for a clinic closure that applies to everyone.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    panels = [
        FieldPanel("practitioner"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("reason"),
    ]

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "time off"
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="time_off_ends_after_it_starts",
                violation_error_message="Time off must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        who = self.practitioner.name if self.practitioner_id else "Clinic closed"
        # In the practice's own time, as staff entered it (the database keeps UTC).
        start, end = local(self.starts_at), local(self.ends_at)
        until = clock(end) if end.date() == start.date() else moment(end, "M j, Y")
        return f"{who}: {moment(start, 'M j, Y')} to {until}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "Time off must end after it starts."})


# What a booking policy may say. The form refuses anything else at the field; the
# properties below hold stored values to the same bounds, so a row edited by other means
# (or saved before these limits) never breaks the patients' pages.
STEP_MINUTES = (5, 240)
BUFFER_MINUTES = (0, 240)
NOTICE_HOURS = (0, 24 * 90)
HORIZON_DAYS = (1, 730)
WINDOW_HOURS = (0, 24 * 30)


def _within(bounds: tuple[int, int], unit: str):
    low, high = bounds
    return [
        MinValueValidator(low, f"At least {low} {unit}."),
        MaxValueValidator(high, f"At most {high:,} {unit}."),
    ]


def _clamp(value: int | None, bounds: tuple[int, int]) -> int:
    low, high = bounds
    return min(max(value or 0, low), high)


@register_setting(icon="calendar")
class BookingPolicy(BaseGenericSetting):
    """The rules every booking follows."""

    slot_step_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=_within(STEP_MINUTES, "minutes"),
        help_text="Appointments may start every this many minutes (5 to 240).",
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=10,
        validators=_within(BUFFER_MINUTES, "minutes"),
        help_text="Kept free after each session, to tidy up and write notes.",
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        default=12,
        validators=_within(NOTICE_HOURS, "hours"),
        help_text="How long before an appointment patients can still book it online.",
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        default=60,
        validators=_within(HORIZON_DAYS, "days"),
        help_text="How many days ahead patients can book (1 to 730).",
    )
    cancellation_window_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=_within(WINDOW_HOURS, "hours"),
        help_text=(
            "Patients can cancel or move online until this many hours before; later, they call."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=_within(WINDOW_HOURS, "hours"),
        help_text="The reminder email goes out this many hours before.",
    )
    waitlist_broadcast = models.BooleanField(
        default=False,
        help_text="Close to the time (WAITLIST_BROADCAST_HOURS), tell everyone on the waiting "
        "list it suits at once, and give it to the first who claims it, instead of holding it "
        "for one patient at a time.",
    )

    ask_peg = models.BooleanField(
        default=True,
        verbose_name="ask the PEG",
        help_text="Ask patients three optional questions on pain and what it gets in the way "
        "of (the PEG) after booking and before each later visit, and chart the answers for "
        "them and their practitioner.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("slot_step_minutes"), FieldPanel("buffer_minutes")], heading="Slots"
        ),
        MultiFieldPanel(
            [FieldPanel("minimum_notice_hours"), FieldPanel("booking_horizon_days")],
            heading="How soon and how far ahead",
        ),
        MultiFieldPanel(
            [FieldPanel("cancellation_window_hours"), FieldPanel("reminder_hours")],
            heading="Changes and reminders",
        ),
        FieldPanel("waitlist_broadcast", heading="Waiting list"),
        FieldPanel("ask_peg", heading="Progress"),
    ]

    class Meta:
        verbose_name = "booking policy"

    def clean(self):
        notice, horizon = self.minimum_notice_hours, self.booking_horizon_days
        if notice is not None and horizon is not None and notice >= horizon * 24:
            raise ValidationError(
                {
                    "minimum_notice_hours": (
                        f"With {notice} hours' notice and bookings only {horizon} days ahead, "
                        "no time could ever be booked online: shorten the notice or book "
                        "further ahead."
                    )
                }
            )

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(minutes=_clamp(self.slot_step_minutes, STEP_MINUTES))

    @property
    def buffer(self) -> dt.timedelta:
        return dt.timedelta(minutes=_clamp(self.buffer_minutes, BUFFER_MINUTES))

    @property
    def notice(self) -> dt.timedelta:
        return dt.timedelta(hours=_clamp(self.minimum_notice_hours, NOTICE_HOURS))

    @property
    def horizon_days(self) -> int:
        return _clamp(self.booking_horizon_days, HORIZON_DAYS)

    @property
    def cancellation_window(self) -> dt.timedelta:
        return dt.timedelta(hours=_clamp(self.cancellation_window_hours, WINDOW_HOURS))

    @property
    def reminder_lead(self) -> dt.timedelta:
        return dt.timedelta(hours=_clamp(self.reminder_hours, WINDOW_HOURS))
