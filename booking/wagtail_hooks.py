from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import privacy
from .staff import actions, calendar_feed, patient_rights, reports
from .staff.access import VIEW_INTAKE_ACTION
from .staff.viewsets import BookingsGroup, ServiceViewSet

register_snippet(ServiceViewSet)


class BookingsMenuGroup(BookingsGroup):
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
        reverse("booking_agenda"),
        icon_name="calendar",
        order=0,
        permission="booking.view_appointment",
    )


@hooks.register("register_bookings_menu_item")
def book_for_patient_menu_item():
    return PermittedMenuItem(
        "Book for a patient",
        reverse("booking_book_for_patient"),
        icon_name="plus",
        order=1,
        permission="booking.add_appointment",
    )


@hooks.register("register_reports_menu_item")
def article_report_menu_item():
    return PermittedMenuItem(
        "Bookings by article",
        reverse("booking_article_report"),
        icon_name="doc-full",
        order=900,
        permission="booking.view_appointment",
    )


@hooks.register("register_admin_urls")
def booking_admin_urls():
    from .staff.agenda import views as agenda_views

    return [
        *agenda_views.urlpatterns,
        path("bookings/book/", actions.book_for_patient, name="booking_book_for_patient"),
        path("bookings/appointments/<int:pk>/cancel/", actions.cancel, name="booking_cancel"),
        path("bookings/appointments/<int:pk>/outcome/", actions.outcome, name="booking_outcome"),
        path("bookings/appointments/<int:pk>/note/", actions.add_note, name="booking_add_note"),
        path(
            "bookings/appointments/<int:pk>/reschedule/",
            actions.reschedule,
            name="booking_reschedule",
        ),
        path(
            "bookings/practitioners/<int:pk>/renew-calendar/",
            calendar_feed.renew,
            name="booking_renew_calendar",
        ),
        path("reports/bookings-by-article/", reports.article_report, name="booking_article_report"),
        path(
            "bookings/patients/<int:pk>/export/",
            patient_rights.export,
            name="booking_patient_export",
        ),
        path(
            "bookings/patients/<int:pk>/erase/", patient_rights.erase, name="booking_patient_erase"
        ),
    ]


@hooks.register("register_log_actions")
def booking_log_actions(actions_registry):
    actions_registry.register_action(
        VIEW_INTAKE_ACTION, "View intake answers", "Viewed the intake answers"
    )
    actions_registry.register_action(
        privacy.EXPORT_ACTION, "Export patient data", "Exported everything held about the patient"
    )
    actions_registry.register_action(
        privacy.ERASE_ACTION, "Erase patient", "Erased the patient's personal and health data"
    )


@hooks.register("construct_homepage_panels")
def agenda_home_panel(request, panels):
    from .staff.agenda import panel

    panel.home_panel_hook(request, panels)
