"""What booking adds to Wagtail's admin: the Services snippet, the Bookings menu and its
extra items, the staff pages (``staff/urls.py``, namespace ``booking_staff``), the log
actions of intake views, exports, erasures and settled time off, and the agenda panel on
the home page. The views themselves live in ``booking/staff/``; this module only
registers them.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import privacy
from .access import VIEW_CLINICAL_NOTES_ACTION, VIEW_INTAKE_ACTION, may_book_by_phone
from .screening import OVERRIDE_ACTION
from .staff import urls as staff_urls
from .staff.agenda.panel import home_panel_hook
from .staff.viewsets import BookingsGroup, ServiceViewSet
from .time_off import SETTLE_ACTION

register_snippet(ServiceViewSet)


class BookingsMenuGroup(BookingsGroup):
    """The Bookings menu with a hook of its own, so pages that are not viewsets (the agenda,
    phone booking) can join the viewsets' submenu."""

    submenu_hook = "register_bookings_menu_item"


@hooks.register("register_admin_viewset")
def register_bookings():
    return BookingsMenuGroup()


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_bookings_menu_item")
def agenda_menu_item():
    return PermittedMenuItem(
        "Agenda",
        reverse("booking_staff:agenda"),
        icon_name="calendar",
        order=0,
        permission="booking.view_appointment",
    )


class BookByPhoneMenuItem(MenuItem):
    def is_shown(self, request):
        return may_book_by_phone(request.user)


@hooks.register("register_bookings_menu_item")
def book_for_patient_menu_item():
    return BookByPhoneMenuItem(
        "Book for a patient", reverse("booking_staff:book_for_patient"), icon_name="plus", order=1
    )


@hooks.register("register_reports_menu_item")
def article_report_menu_item():
    return PermittedMenuItem(
        "Bookings by article",
        reverse("booking_staff:article_report"),
        icon_name="doc-full",
        order=900,
        permission="booking.view_appointment",
    )


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def intake_views_menu_item():
    return SuperuserMenuItem(
        "Health answers viewed",
        reverse("booking_staff:intake_views"),
        icon_name="view",
        order=910,
    )


@hooks.register("register_admin_urls")
def booking_admin_urls():
    # Mounted at the admin's root: staff/urls.py keeps the paths it had before the namespace.
    return [path("", include(staff_urls, namespace="booking_staff"))]


@hooks.register("register_log_actions")
def booking_log_actions(actions_registry):
    actions_registry.register_action(
        VIEW_INTAKE_ACTION, "View intake answers", "Viewed the intake answers"
    )
    actions_registry.register_action(
        VIEW_CLINICAL_NOTES_ACTION, "View clinical notes", "Viewed the clinical notes"
    )
    actions_registry.register_action(
        OVERRIDE_ACTION,
        "Override a screening rule",
        "Booked a session the patient's answers rule out, with a written reason",
    )
    actions_registry.register_action(
        SETTLE_ACTION,
        "Settle appointments under time off",
        "Kept, cancelled or moved the appointments a time off covers",
    )
    actions_registry.register_action(
        privacy.EXPORT_ACTION, "Export patient data", "Exported everything held about the patient"
    )
    actions_registry.register_action(
        privacy.ERASE_ACTION, "Erase patient", "Erased the patient's personal and health data"
    )


hooks.register("construct_homepage_panels", home_panel_hook)
