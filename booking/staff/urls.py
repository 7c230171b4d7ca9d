"""The staff's admin pages beyond the viewsets: agenda, phone booking, appointment actions,
the appointments under a time off, calendar renewal, the practitioners' own calendars, the
article report and patient rights. ``booking/wagtail_hooks.py`` mounts them under /admin/
in the ``booking_staff`` namespace (``booking_staff:cancel``, …).
"""

from django.urls import path

from . import (
    actions,
    calendar_feed,
    calendars,
    course,
    intake_views,
    patient_rights,
    reports,
    time_off,
    waitlist,
    week,
)
from .agenda import views as agenda_views

app_name = "booking_staff"

# Full paths, as they were before the namespace: the report sits under reports/, not bookings/.
urlpatterns = [
    *agenda_views.urlpatterns,
    *waitlist.urlpatterns,
    path("bookings/book/", actions.book_for_patient, name="book_for_patient"),
    path("bookings/appointments/<int:pk>/cancel/", actions.cancel, name="cancel"),
    path("bookings/appointments/<int:pk>/outcome/", actions.outcome, name="outcome"),
    path("bookings/appointments/<int:pk>/note/", actions.add_note, name="add_note"),
    path("bookings/appointments/<int:pk>/reschedule/", actions.reschedule, name="reschedule"),
    path("bookings/appointments/<int:pk>/course/", course.book_course, name="course_book"),
    path(
        "bookings/appointments/<int:pk>/course/cancel/",
        course.cancel_course,
        name="course_cancel",
    ),
    path(
        "bookings/time-off/<int:pk>/appointments/",
        time_off.covered_appointments,
        name="time_off_appointments",
    ),
    path(
        "bookings/practitioners/<int:pk>/renew-calendar/",
        calendar_feed.renew,
        name="renew_calendar",
    ),
    path("bookings/practitioners/<int:pk>/week/", week.edit_week, name="practitioner_week"),
    path("bookings/practitioners/<int:pk>/calendars/add/", calendars.add, name="calendar_add"),
    path(
        "bookings/practitioners/<int:pk>/calendars/<int:source_pk>/remove/",
        calendars.remove,
        name="calendar_remove",
    ),
    path(
        "bookings/practitioners/<int:pk>/calendars/<int:source_pk>/read/",
        calendars.read_now,
        name="calendar_read_now",
    ),
    path("reports/bookings-by-article/", reports.article_report, name="article_report"),
    path(
        "reports/health-answers-viewed/",
        intake_views.IntakeViewsReport.as_view(),
        name="intake_views",
    ),
    path(
        "reports/health-answers-viewed/results/",
        intake_views.IntakeViewsReport.as_view(results_only=True),
        name="intake_views_results",
    ),
    path("bookings/patients/<int:pk>/export/", patient_rights.export, name="patient_export"),
    path("bookings/patients/<int:pk>/erase/", patient_rights.erase, name="patient_erase"),
]
