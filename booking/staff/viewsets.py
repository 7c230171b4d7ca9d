"""The "Bookings" area of Wagtail's admin: appointments, patients, practitioners, time off,
and the Services snippet."""

import csv

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from practice.single_line import SingleLineFields

from .. import access, selectors
from ..models import Appointment, AppointmentStatus, Patient, Practitioner, Service, TimeOff
from ..phone import phone_display
from .forms import PractitionerAdminForm, TimeOffAdminForm
from .scoping import ScopedModelViewSet
from .time_off import CoveredAppointmentsMixin, PracticeTimeMixin, local_time_display
from .waitlist import WaitlistViewSet
from .words import InWordsInspectMixin, in_words, local_naive, yes_no


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Appointments change only through the booking service (the actions on their page),
    never through a generic edit form that could skip its rules."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete", "copy"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Appointment, ReadOnlyPermissionPolicy(Appointment))

# Rows read from the database at a time by the CSV export.
EXPORT_CHUNK = 500


class AppointmentFilterSet(WagtailFilterSet):
    starts_at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)
    practitioner = django_filters.ModelChoiceFilter(
        queryset=Practitioner.objects.select_related("profile")
    )
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all())
    when = django_filters.ChoiceFilter(
        label="When",
        choices=[("upcoming", "Upcoming"), ("past", "Past"), ("all", "Any time")],
        empty_label=None,
        method="filter_when",
    )
    # A waiting list's hold is no appointment: it is never listed here, so not offered.
    status = django_filters.ChoiceFilter(
        choices=[c for c in AppointmentStatus.choices if c[0] != AppointmentStatus.HELD]
    )
    flagged = django_filters.BooleanFilter(label="Flagged", method="filter_flagged")

    class Meta:
        model = Appointment
        fields = ["when", "starts_at", "practitioner", "service", "status", "flagged"]

    def __init__(self, data=None, *args, **kwargs):
        # The list opens on what is coming up; past visits are one filter away.
        if data is not None and not data.get("when"):
            data = data.copy()
            data["when"] = "upcoming"
        super().__init__(data, *args, **kwargs)
        self.form.fields["when"].initial = "upcoming"

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        if value == "past":
            return queryset.filter(ends_at__lt=now)
        return queryset

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(precautions=[]) if value else queryset.filter(precautions=[])


class AppointmentIndexView(generic.IndexView):
    # The file reads as the list does: the practice's clock (a spreadsheet cell holds no
    # zone, so Wagtail's own would write UTC), and "Yes" or "No".
    custom_field_preprocess = {
        "local_starts_at": {"xlsx": local_naive},  # the CSV keeps ISO 8601 with the offset
        "patient.phone": {"csv": phone_display, "xlsx": phone_display},
        "is_first_visit": {"csv": in_words, "xlsx": in_words},
        "booked_by_staff": {"csv": in_words, "xlsx": in_words},
    }

    def get_base_queryset(self):
        appointments = (
            super()
            .get_base_queryset()
            .select_related("patient", "practitioner__profile", "service")
        )
        if self.is_export:
            # The export names the article each booking came from ("Booked from").
            appointments = appointments.select_related("source_page")
        return access.appointments_visible_to(self.request.user, appointments)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file, filtered, searched and ordered as the list is: Wagtail
            # builds the whole listing first, and counting it reads every row into memory
            # before the first byte goes out.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_edit_url(self, instance):
        return reverse("booking_appointment:inspect", args=[instance.pk])

    def stream_csv(self, queryset):
        """The CSV a few hundred rows at a time, never the whole period in memory: years of
        appointments stream out in as little memory as a week's (Wagtail's own reads the
        whole queryset first)."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow({f: self.get_heading(queryset, f) for f in self.list_export})
        for item in queryset.iterator(chunk_size=EXPORT_CHUNK):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def get_ordering(self):
        # Soonest first while looking ahead; most recent first when looking back.
        if self.is_explicitly_ordered:
            return super().get_ordering()
        return "-starts_at" if self.request.GET.get("when") == "past" else "starts_at"

    @cached_property
    def header_buttons(self):
        # The export the front desk reaches for is a button, not hidden under "...".
        buttons = list(super().header_buttons)
        if self.show_export_buttons:
            buttons.append(
                HeaderButton("Download CSV", url=self.csv_export_url, icon_name="download")
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return [b for b in super().header_more_buttons if b.url != self.csv_export_url]


class AppointmentInspectView(InWordsInspectMixin, generic.InspectView):
    template_name = "booking/staff/appointment_inspect.html"

    def get_object(self, queryset=None):
        appointments = access.appointments_visible_to(
            self.request.user,
            Appointment.objects.select_related(
                "patient", "practitioner__profile", "service", "source_page"
            ),
        )
        return get_object_or_404(appointments, pk=self.pk)

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_context_data(self, **kwargs):
        from .. import questions
        from .appointment_page import appointment_page_context

        context = super().get_context_data(**kwargs)
        context.update(appointment_page_context(self.request, self.object))
        context["flag_labels"] = [questions.FLAG_LABELS[f] for f in self.object.flags]
        return context


class AppointmentViewSet(ScopedModelViewSet):
    model = Appointment
    icon = "date"
    menu_label = "Appointments"
    name = "booking_appointment"
    url_prefix = "bookings/appointments"
    index_view_class = AppointmentIndexView
    inspect_view_class = AppointmentInspectView
    inspect_view_enabled = True
    form_fields = ["status"]  # never shown: the registered policy refuses the generic forms
    filterset_class = AppointmentFilterSet
    search_fields = ["patient__first_name", "patient__last_name", "patient__email"]
    search_backend_name = None
    ordering = ["starts_at"]
    list_per_page = 25
    list_display = [
        "when",
        "patient",
        "service",
        "practitioner",
        Column("get_status_display", label="Status"),
        Column("flag_marker", label="Flagged"),
    ]
    list_export = [
        "local_starts_at",
        "patient.full_name",
        "patient.email",
        "patient.phone",
        "service.name",
        "practitioner.name",
        "get_status_display",
        "is_first_visit",
        "booked_by_staff",
        "booked_from",
    ]
    export_headings = {
        "local_starts_at": "Starts (local time)",
        "patient.full_name": "Patient",
        "patient.email": "Email",
        "patient.phone": "Phone",
        "service.name": "Service",
        "practitioner.name": "Practitioner",
        "get_status_display": "Status",
        "is_first_visit": "First visit",
        "booked_by_staff": "Booked by staff",
        "booked_from": "Booked from",
    }
    export_filename = "appointments"

    def objects_visible_to(self, user, queryset):
        return access.appointments_visible_to(user, queryset)


class PatientIndexView(generic.IndexView):
    # One phone format in the file, as on the pages: the practice's national one.
    custom_field_preprocess = {"phone": {"csv": phone_display, "xlsx": phone_display}}

    def get_base_queryset(self):
        return access.patients_visible_to(self.request.user, super().get_base_queryset())

    def get_edit_url(self, instance):
        return reverse("booking_patient:inspect", args=[instance.pk])


class PatientInspectView(InWordsInspectMixin, generic.InspectView):
    template_name = "booking/staff/patient_inspect.html"

    def get_context_data(self, **kwargs):
        from .patient_page import patient_page_context

        context = super().get_context_data(**kwargs)
        context.update(patient_page_context(self.request, self.object))
        return context


class PatientViewSet(ScopedModelViewSet):
    model = Patient
    icon = "user"
    menu_label = "Patients"
    name = "booking_patient"
    url_prefix = "bookings/patients"
    index_view_class = PatientIndexView
    inspect_view_class = PatientInspectView
    inspect_view_enabled = True
    form_fields = ["first_name", "last_name", "email", "phone", "date_of_birth"]
    search_fields = ["first_name", "last_name", "email"]
    search_backend_name = None
    list_display = [
        "full_name",
        "email",
        Column("phone", label="Phone", accessor=lambda p: phone_display(p.phone)),
    ]
    # The CSV and Excel files: whom to reach and how (Wagtail's default wrote empty rows).
    list_export = ["first_name", "last_name", "email", "phone"]
    export_headings = {
        "first_name": "First name",
        "last_name": "Last name",
        "email": "Email",
        "phone": "Phone",
    }
    export_filename = "patients"
    list_per_page = 25
    copy_view_enabled = False

    def objects_visible_to(self, user, queryset):
        return access.patients_visible_to(user, queryset)

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (SingleLineFields, form_class), {})


class PractitionerInspectView(InWordsInspectMixin, generic.InspectView):
    template_name = "booking/staff/practitioner_inspect.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        from ..calendars.selectors import calendar_source_list_for

        context = super().get_context_data(**kwargs)
        practitioner = self.object
        context["hours"] = practitioner.working_hours.all()
        if access.may_manage_calendars(self.request.user, practitioner):
            context["feed_url"] = settings.SITE_URL + reverse(
                "practitioner_calendar", args=[practitioner.calendar_token]
            )
            context["calendar_sources"] = calendar_source_list_for(practitioner=practitioner)
        return context


class PractitionerIndexView(generic.IndexView):
    def get_edit_url(self, instance):
        # Their page: hours, calendar feed and own calendars, with the edit buttons.
        return reverse("booking_practitioner:inspect", args=[instance.pk])


class PractitionerViewSet(ModelViewSet):
    model = Practitioner
    index_view_class = PractitionerIndexView
    icon = "group"
    menu_label = "Practitioners and hours"
    name = "booking_practitioner"
    url_prefix = "bookings/practitioners"
    inspect_view_enabled = True
    inspect_view_class = PractitionerInspectView
    list_display = [
        "profile",
        "user",
        yes_no("is_active", "Active"),
        yes_no("takes_new_patients", "Sees new patients"),
    ]
    copy_view_enabled = False
    edit_handler = ObjectList(Practitioner.panels, base_form_class=PractitionerAdminForm)


class TimeOffIndexView(PracticeTimeMixin, generic.IndexView):
    results_template_name = "booking/staff/time_off_index_results.html"

    @cached_property
    def no_results_message(self):
        # Wagtail's own reads "There are no time off to display": "time off" is uncountable.
        if self.is_searching or self.is_filtering:
            return "No time off matches your filters."
        return "There is no time off to display."


class TimeOffCreateView(PracticeTimeMixin, CoveredAppointmentsMixin, generic.CreateView):
    pass


class TimeOffEditView(PracticeTimeMixin, CoveredAppointmentsMixin, generic.EditView):
    pass


class TimeOffDeleteView(PracticeTimeMixin, generic.DeleteView):
    pass


class TimeOffInspectView(InWordsInspectMixin, PracticeTimeMixin, generic.InspectView):
    template_name = "booking/staff/time_off_inspect.html"
    empty_words = {"practitioner": "Everyone (the clinic is closed)"}

    def get_starts_at_display_value(self):
        return local_time_display(self.object.starts_at)

    def get_ends_at_display_value(self):
        return local_time_display(self.object.ends_at)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["covered"] = selectors.appointment_list_covered_by(time_off=self.object)
        return context


class TimeOffViewSet(ModelViewSet):
    model = TimeOff
    icon = "time"
    menu_label = "Time off and closures"
    name = "booking_timeoff"
    url_prefix = "bookings/time-off"
    index_view_class = TimeOffIndexView
    add_view_class = TimeOffCreateView
    edit_view_class = TimeOffEditView
    delete_view_class = TimeOffDeleteView
    inspect_view_class = TimeOffInspectView
    inspect_view_enabled = True
    list_display = ["__str__", "reason"]
    list_filter = ["practitioner"]
    ordering = ["-starts_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(TimeOff.panels, base_form_class=TimeOffAdminForm)


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    menu_label = "Services"
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "name",
        "duration_minutes",
        "price",
        yes_no("is_active", "Active"),
        yes_no("open_to_new_patients", "Open to new patients"),
    ]
    list_filter = ["is_active"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class BookingsGroup(ViewSetGroup):
    menu_label = "Bookings"
    menu_icon = "date"
    menu_order = 150
    items = [
        AppointmentViewSet,
        PatientViewSet,
        PractitionerViewSet,
        TimeOffViewSet,
        WaitlistViewSet,
    ]
