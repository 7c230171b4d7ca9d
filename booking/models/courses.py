"""A course of treatment: sessions of one service with one practitioner, booked at once."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest


class Course(models.Model):
    """Sessions booked together, every ``every_weeks`` weeks at the same local time.

    Each session is an ordinary appointment pointing here (``Appointment.course``), the one
    the course was asked from included. ``sessions_planned`` counts the dates the patient or
    staff asked for beyond that one, ``sessions_booked`` how many of them were booked, so
    that staff can follow up on the rest ("6 of 8 booked"). No health information here.
    """

    patient = models.ForeignKey("booking.Patient", on_delete=models.PROTECT, related_name="courses")
    service = models.ForeignKey("booking.Service", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        "booking.Practitioner", on_delete=models.PROTECT, related_name="courses"
    )
    every_weeks = models.PositiveSmallIntegerField(help_text="Weeks between sessions, 1 to 4.")
    sessions_planned = models.PositiveSmallIntegerField(default=0)
    sessions_booked = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who booked it; empty when the patient did.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1, every_weeks__lte=4),
                name="course_every_one_to_four_weeks",
            ),
            models.CheckConstraint(
                condition=models.Q(sessions_booked__lte=models.F("sessions_planned")),
                name="course_booked_within_planned",
            ),
        ]

    def __str__(self) -> str:
        return f"Course of {self.service} with {self.practitioner}"

    def uncount(self, cancelled) -> None:
        """Takes the ``cancelled`` sessions off the booked count: "4 of 4 booked" is not
        said of a cancelled course. The first session, which the course was asked from,
        was never in that count."""
        first = self.appointments.order_by("pk").values_list("pk", flat=True).first()
        counted = sum(1 for session in cancelled if session.pk != first)
        type(self).objects.filter(pk=self.pk).update(
            sessions_booked=Greatest(models.F("sessions_booked") - counted, 0)
        )

    @property
    def summary(self) -> str:
        """ "6 of 8 booked, every 2 weeks"."""
        every = "every week" if self.every_weeks == 1 else f"every {self.every_weeks} weeks"
        return f"{self.sessions_booked} of {self.sessions_planned} booked, {every}"
