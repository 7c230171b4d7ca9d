from django.urls import path

from .staff import calendar_feed
from .views import course, manage, progress, returning, screening, waitlist, wizard

app_name = "booking"

urlpatterns = [
    path("", wizard.start, name="start"),
    path("time/", wizard.choose_time, name="time"),
    path("details/", wizard.details, name="details"),
    path("details/code/", returning.email_code, name="email_code"),
    path("health-questions/", screening.intake_step, name="intake"),
    path("review/", wizard.review, name="review"),
    path("see-a-doctor-first/", screening.seek_care, name="seek_care"),
    path("waiting-list/", waitlist.join, name="waitlist_join"),
    path("waiting-list/check/", waitlist.join_review, name="waitlist_review"),
    path("waiting-list/<str:token>/", waitlist.entry, name="waitlist_entry"),
    path("waiting-list/claim/<str:token>/", waitlist.claim, name="waitlist_claim"),
    path("appointment/<str:token>/", manage.manage, name="manage"),
    path("appointment/<str:token>/cancel/", manage.cancel, name="cancel"),
    path("appointment/<str:token>/change/", manage.reschedule, name="reschedule"),
    path(
        "appointment/<str:token>/health-questions/",
        screening.answer_for_booked,
        name="answer_for_booked",
    ),
    path("appointment/<str:token>/progress/", progress.by_link, name="progress"),
    path("appointment/<str:token>/more-sessions/", course.more_sessions, name="more_sessions"),
    path(
        "appointment/<str:token>/cancel-sessions/", course.cancel_sessions, name="cancel_sessions"
    ),
    path("appointment/<str:token>/move-sessions/", course.move_sessions, name="move_sessions"),
    path("appointment/<str:token>/sooner/", waitlist.join_to_move, name="waitlist_move"),
    path("appointment/<str:token>/calendar.ics", manage.calendar_file, name="calendar_file"),
]

# Mounted at the site's root by practice/urls.py: subscribed calendars keep their address.
feed_urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed.feed, name="practitioner_calendar")
]
