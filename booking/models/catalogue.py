"""The catalogue: what a patient can book."""

from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def open_to_new_patients(self):
        return self.filter(open_to_new_patients=True)


class Service(index.Indexed, models.Model):
    """Something a patient can book, such as a first visit or a follow-up treatment."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(max_length=600)
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)", help_text="How long the session lasts, in minutes."
    )
    price = models.DecimalField(max_digits=8, decimal_places=2)
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive services are hidden and cannot be booked."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    practitioners = models.ManyToManyField(
        "booking.Practitioner",
        blank=True,
        related_name="services",
        help_text="Who offers this service.",
    )
    for_new_patients = models.BooleanField(
        "for new patients",
        default=False,
        help_text="A first visit: the full intake form is asked for.",
    )
    open_to_new_patients = models.BooleanField(
        "new patients may book this",
        default=True,
        help_text=(
            "Untick for a session only for patients seen before (a follow-up): a patient with "
            "no visit yet is not offered it, online or by phone."
        ),
    )
    uses_electrical_stimulation = models.BooleanField(
        default=False,
        help_text=(
            "Electroacupuncture and the like: not offered to patients with a pacemaker or "
            "another implanted electrical device."
        ),
    )

    objects = ServiceQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("duration_minutes"), FieldPanel("price"), FieldPanel("is_active")],
            heading="Booking",
        ),
        FieldPanel("practitioners", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("for_new_patients"),
                FieldPanel("open_to_new_patients"),
                FieldPanel("uses_electrical_stimulation"),
            ],
            heading="Who it is for",
        ),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5), name="service_duration_at_least_5"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="service_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name
