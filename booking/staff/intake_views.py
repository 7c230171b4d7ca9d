"""The record of who looked at patients' health answers: a report of its own (Reports →
Health answers viewed), apart from the site's page edits, filterable by staff member,
patient and date, and exportable (CSV, XLSX) for an audit. It names the appointment and
the page the answers were seen on, never the answers."""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..access import VIEW_INTAKE_ACTION
from ..models import Appointment, Patient
from .words import LOCAL_CLOCK_EXPORT, in_words


def _staff(request=None):
    """Everyone who can sign in to the admin and has looked at answers at least once."""
    seen = ModelLogEntry.objects.filter(action=VIEW_INTAKE_ACTION).values("user_id")
    return get_user_model().objects.filter(pk__in=seen).order_by("first_name", "username")


class IntakeViewFilterSet(WagtailFilterSet):
    user = django_filters.ModelChoiceFilter(label="Staff member", queryset=_staff)
    patient = django_filters.CharFilter(label="Patient's name", method="filter_patient")
    timestamp = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = ModelLogEntry
        fields = ["user", "patient", "timestamp"]

    def filter_patient(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        patients = Patient.objects.all()
        for word in words:
            patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        ids = Appointment.objects.filter(patient__in=patients).annotate(
            text_pk=Cast("pk", CharField())
        )
        return queryset.filter(object_id__in=ids.values("text_pk"))


def _patients_of(entries) -> dict[str, str]:
    ids = {int(e.object_id) for e in entries if e.object_id.isdigit()}
    rows = Appointment.objects.filter(pk__in=ids).select_related("patient")
    return {str(a.pk): a.patient.full_name for a in rows}


class IntakeViewsReport(ReportView):
    page_title = "Health answers viewed"
    header_icon = "view"
    filterset_class = IntakeViewFilterSet
    index_url_name = "booking_staff:intake_views"
    index_results_url_name = "booking_staff:intake_views_results"
    export_filename = "health-answers-viewed"
    list_export = ["timestamp", "user_display_name", "patient_name", "label", "where"]
    export_headings = {
        "timestamp": "When (local time)",
        "user_display_name": "Staff member",
        "patient_name": "Patient",
        "label": "Appointment",
        "where": "Seen on",
    }
    custom_field_preprocess = {"timestamp": LOCAL_CLOCK_EXPORT}

    def dispatch(self, request, *args, **kwargs):
        # The owner's audit: who saw which patient's answers, and when.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            Column("timestamp", label="When", accessor=lambda e: in_words(e.timestamp)),
            Column("user_display_name", label="Staff member"),
            Column("patient_name", label="Patient"),
            TitleColumn(
                "label",
                label="Appointment",
                get_url=lambda e: reverse("booking_appointment:inspect", args=[e.object_id]),
            ),
            Column("where", label="Seen on"),
        ]

    def get_queryset(self):
        kind = ContentType.objects.get_for_model(Appointment, for_concrete_model=False)
        return (
            ModelLogEntry.objects.filter(action=VIEW_INTAKE_ACTION, content_type=kind)
            .select_related("user")
            .order_by("-timestamp", "-pk")
        )

    def decorate_paginated_queryset(self, object_list):
        entries = list(object_list)
        names = _patients_of(entries)
        for entry in entries:
            entry.patient_name = names.get(entry.object_id, "Erased")
            entry.where = (entry.data or {}).get("where", "")
        return entries

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(
            self.decorate_paginated_queryset(queryset), spreadsheet_format
        )


class SiteHistoryReport(LogEntriesView):
    """Wagtail's Site history without the views of health answers.

    Wagtail lists every log entry there, to anyone with a permission on the model logged:
    the front desk, who may see appointments, would see who read which patient's answers.
    Those views are the owner's audit (``IntakeViewsReport``); the page edits, publishing
    and bookings stay in Site history as Wagtail shows them."""

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).exclude(action=VIEW_INTAKE_ACTION)


# Served ahead of Wagtail's own routes at the same addresses (practice/urls.py), behind the
# same admin sign-in and with the same names' addresses, so every link to Site history and
# its filters comes here.
site_history_urlpatterns = decorate_urlpatterns(
    [
        path("admin/reports/site-history/", SiteHistoryReport.as_view()),
        path("admin/reports/site-history/results/", SiteHistoryReport.as_view(results_only=True)),
    ],
    lambda view: never_cache(require_admin_access(view)),
)
