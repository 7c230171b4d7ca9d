from django.urls import path

from . import manage_views, views
from .staff import calendar_feed

app_name = "booking"

urlpatterns = [
    path("", views.start, name="start"),
    path("time/", views.choose_time, name="time"),
    path("details/", views.details, name="details"),
    path("health-questions/", views.intake_step, name="intake"),
    path("review/", views.review, name="review"),
    path("see-a-doctor-first/", views.seek_care, name="seek_care"),
    path("appointment/<str:token>/", manage_views.manage, name="manage"),
    path("appointment/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("appointment/<str:token>/change/", manage_views.reschedule, name="reschedule"),
]

# Mounted at the site's root by practice/urls.py: subscribed calendars keep their address.
feed_urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed.feed, name="practitioner_calendar")
]
