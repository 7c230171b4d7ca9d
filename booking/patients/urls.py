"""'My appointments', mounted at /my/ by practice/urls.py."""

from django.urls import path

from ..views import my, my_changes, progress

app_name = "my"

urlpatterns = [
    path("", my.home, name="home"),
    path("check-your-email/", my.check_email, name="check_email"),
    path("sign-in/<str:token>/", my.sign_in, name="sign_in"),
    path("sign-out/", my.sign_out, name="sign_out"),
    path("download/", my.download, name="download"),
    path("visit/<uuid:public_id>/cancel/", my_changes.cancel, name="cancel"),
    path("visit/<uuid:public_id>/move/", my_changes.move, name="move"),
    path("visit/<uuid:public_id>/progress/", progress.mine, name="progress"),
    path("visit/<uuid:public_id>/book-again/", my.book_again, name="book_again"),
    path("waiting-list/<uuid:public_id>/leave/", my.leave_waitlist, name="leave_waitlist"),
]
