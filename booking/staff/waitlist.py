"""The waiting list in the Bookings menu: who waits for what, the free times that suit an
entry with "offer to this patient" and "book from the list", and marking one urgent.

Front desk sees the patient's contact details and wishes, never their health answers:
no list, column, export or page here shows them (they reach a practitioner through the
appointment's intake once the time is booked). Changes go through the waiting list's
services, never a generic edit form.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .. import access
from ..models import PartOfDay, Practitioner, Service, WaitlistEntry, WaitlistStatus
from ..phone import phone_display
from ..views.picker import encode_slot_choice, parse_slot_choice
from ..waitlist import match, services
from ..waitlist import selectors as waitlist_selectors
from .scoping import ScopedModelViewSet
from .words import LOCAL_CLOCK_EXPORT, InWordsInspectMixin, day_names, in_words, yes_no

# How many free times that suit an entry its page lists.
SUITING_SHOWN = 12


class WaitlistPermissionPolicy(ModelPermissionPolicy):
    """Entries are made by patients and changed by the waiting list's own actions."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete", "copy"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(WaitlistEntry, WaitlistPermissionPolicy(WaitlistEntry))


def entries_visible_to(user, entries):
    """Everyone's for front desk; a practitioner's own, and those for anyone, for them."""
    openable = access.practitioners_openable_by(user)
    if openable is None:
        return entries
    return entries.filter(Q(practitioner_id__in=openable) | Q(practitioner__isnull=True))


class WaitlistFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=WaitlistStatus.choices)
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all())
    practitioner = django_filters.ModelChoiceFilter(
        queryset=Practitioner.objects.select_related("profile")
    )
    matching = django_filters.CharFilter(
        label="Matching a free time", method="filter_matching", help_text="From the agenda."
    )

    class Meta:
        model = WaitlistEntry
        fields = ["status", "service", "practitioner", "urgent"]

    def filter_matching(self, queryset, name, value):
        """The open entries that would take the time ``value`` names (a slot value, as the
        agenda's free times carry it), first in the order they are offered it."""
        choice = parse_slot_choice(value)
        if choice is None:
            return queryset.none()
        start, practitioner_id = choice
        tz = timezone.get_default_timezone()
        rows = list(
            queryset.filter(status=WaitlistStatus.WAITING).select_related("move_appointment")
        )
        wishes = [waitlist_selectors.wish_from(e) for e in rows]
        suits = {
            w.entry_id
            for w in wishes
            if match.accepts(w, match.FreeTime(w.service_id, practitioner_id, start), tz)
        }
        return queryset.filter(pk__in=suits)


class WaitlistIndexView(generic.IndexView):
    # The files read as the list does: the practice's clock, "Yes" or "No", and whom.
    custom_field_preprocess = {
        "created_at": LOCAL_CLOCK_EXPORT,
        "patient.phone": {"csv": phone_display, "xlsx": phone_display},
        "urgent": {"csv": in_words, "xlsx": in_words},
        "practitioner": {
            "csv": lambda who: in_words(who, empty="Any practitioner"),
            "xlsx": lambda who: str(in_words(who, empty="Any practitioner")),
        },
    }

    def get_base_queryset(self):
        entries = (
            super()
            .get_base_queryset()
            .select_related("patient", "service", "practitioner__profile")
        )
        return entries_visible_to(self.request.user, entries)


class WaitlistInspectView(InWordsInspectMixin, generic.InspectView):
    template_name = "booking/staff/waitlist_inspect.html"
    empty_words = {"practitioner": "Any practitioner", "expires_at": "Not set"}

    def get_object(self, queryset=None):
        entries = entries_visible_to(
            self.request.user,
            WaitlistEntry.objects.select_related("patient", "service", "practitioner__profile"),
        )
        return get_object_or_404(entries, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        context["contact"] = entry.patient
        context["days"] = day_names(entry.weekdays) or "Any day"
        context["times"] = ", ".join(
            PartOfDay(part).label for part in entry.parts_of_day if part in PartOfDay
        )
        context["suiting"] = suiting_times(entry) if entry.status == WaitlistStatus.WAITING else []
        context["offers"] = entry.offers.select_related("practitioner__profile")
        context["book_url"] = _book_url(entry)
        return context


def suiting_times(entry: WaitlistEntry) -> list[dict]:
    """The free times within the entry's range that it would take, soonest first."""
    now = timezone.now()
    tz = timezone.get_default_timezone()
    wish = waitlist_selectors.wish_from(entry)
    practitioners = (
        [entry.practitioner]
        if entry.practitioner_id
        else list(Practitioner.objects.filter(services=entry.service, is_active=True))
    )
    first = max(entry.earliest_date, timezone.localdate(now))
    end = dt.datetime.combine(entry.latest_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    found = []
    for practitioner in practitioners:
        for time in waitlist_selectors.free_time_list(
            practitioner=practitioner, start=start, end=end, now=now
        ):
            if match.accepts(wish, time, tz):
                found.append((time, practitioner))
    found.sort(key=lambda pair: pair[0].start)
    return [
        {
            "local": time.start.astimezone(tz),
            "practitioner": practitioner.name,
            "value": encode_slot_choice(time.start, practitioner.pk),
        }
        for time, practitioner in found[:SUITING_SHOWN]
    ]


def _book_url(entry: WaitlistEntry) -> str:
    """The phone booking screen, with the entry's service, practitioner and first day."""
    query = {"service": entry.service_id, "date": entry.earliest_date.isoformat()}
    if entry.practitioner_id:
        query["practitioner"] = entry.practitioner_id
    return reverse("booking_staff:book_for_patient") + "?" + urlencode(query)


def _entry(request, pk: int) -> WaitlistEntry:
    if not request.user.has_perm("booking.change_waitlistentry"):
        raise PermissionDenied
    entries = entries_visible_to(request.user, WaitlistEntry.objects.select_related("service"))
    return get_object_or_404(entries, pk=pk)


@require_POST
def mark_urgent(request, pk):
    entry = _entry(request, pk)
    urgent = request.POST.get("urgent") == "1"
    services.entry_mark_urgent(entry=entry, urgent=urgent)
    messages.success(
        request, "Marked urgent: offered times first." if urgent else "Back in the usual order."
    )
    return redirect("booking_waitlist:inspect", entry.pk)


@require_POST
def offer(request, pk):
    """Offers one free time to this patient, out of turn: it is held for them as any offer."""
    entry = _entry(request, pk)
    choice = parse_slot_choice(request.POST.get("slot", ""))
    made = None
    if choice and entry.status == WaitlistStatus.WAITING:
        start, practitioner_id = choice
        made = services.offer_to(
            entry=entry,
            time=match.FreeTime(entry.service_id, practitioner_id, start),
        )
    if made:
        messages.success(request, "Offered: the time is held and the patient gets an email.")
    else:
        messages.error(request, "That time could not be offered: it is no longer free.")
    return redirect("booking_waitlist:inspect", entry.pk)


urlpatterns = [
    path("bookings/waiting-list/<int:pk>/urgent/", mark_urgent, name="waitlist_urgent"),
    path("bookings/waiting-list/<int:pk>/offer/", offer, name="waitlist_offer"),
]


class WaitlistViewSet(ScopedModelViewSet):
    model = WaitlistEntry
    icon = "list-ol"
    menu_label = "Waiting list"
    name = "booking_waitlist"
    url_prefix = "bookings/waiting-list"
    index_view_class = WaitlistIndexView
    inspect_view_class = WaitlistInspectView
    inspect_view_enabled = True
    form_fields = ["urgent"]  # never shown: the policy refuses the generic forms
    # Never the answers or the pain score: what the entry waits for, and whom to call.
    inspect_view_fields = [
        "patient",
        "service",
        "practitioner",
        "earliest_date",
        "latest_date",
        "status",
        "urgent",
        "created_at",
        "expires_at",
    ]
    filterset_class = WaitlistFilterSet
    search_fields = ["patient__first_name", "patient__last_name", "patient__email"]
    search_backend_name = None
    list_per_page = 25
    # The CSV and Excel files (Wagtail's default wrote empty rows): never the answers.
    list_export = [
        "patient.first_name",
        "patient.last_name",
        "patient.email",
        "patient.phone",
        "service.name",
        "practitioner",
        "earliest_date",
        "latest_date",
        "get_status_display",
        "urgent",
        "created_at",
    ]
    export_headings = {
        "patient.first_name": "First name",
        "patient.last_name": "Last name",
        "patient.email": "Email",
        "patient.phone": "Phone",
        "service.name": "Service",
        "practitioner": "With",
        "earliest_date": "From",
        "latest_date": "Until",
        "get_status_display": "Status",
        "urgent": "Urgent",
        "created_at": "Joined",
    }
    export_filename = "waiting-list"
    list_display = [
        "patient",
        Column("patient.email", label="Email"),
        Column("phone", label="Phone", accessor=lambda e: phone_display(e.patient.phone)),
        "service",
        Column("with", label="With", accessor=lambda e: e.practitioner or "Any practitioner"),
        "earliest_date",
        "latest_date",
        Column("get_status_display", label="Status"),
        yes_no("urgent", "Urgent"),
    ]
    copy_view_enabled = False

    def objects_visible_to(self, user, queryset):
        return entries_visible_to(user, queryset)
