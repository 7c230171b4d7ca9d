"""A signed-in member of staff's session ends after ``STAFF_SESSION_IDLE_SECONDS`` (8 hours)
without a request, instead of Django's two weeks: a shared desk computer left signed in
overnight asks for the password (and the second factor) again in the morning.

Visitors' sessions (the booking steps) are untouched. The expiry moves forward at most once
a minute, so an active member of staff costs one session write a minute, not one a request.
"""

import time

from django.conf import settings

SEEN_KEY = "_staff_seen"
REFRESH_SECONDS = 60


class StaffIdleTimeoutMiddleware:
    """After ``AuthenticationMiddleware``; runs after the view too, so the login itself
    (which changes the session) starts the idle clock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= REFRESH_SECONDS:
                request.session[SEEN_KEY] = now
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return response
