from django.urls import path

from . import manage_views, views

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
