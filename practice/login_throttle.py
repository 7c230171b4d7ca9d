"""The admin's sign-in under attack: who is locked out, who is slowed down, who is told.

django-axes locks the (username, address) pair and the address after ``AXES_FAILURE_LIMIT``
failures (``AXES_LOCKOUT_PARAMETERS``), never the username alone: a stranger who knows the
desk's username cannot lock the desk out from another address. The username itself is only
slowed down: after ``LOGIN_SLOW_AFTER`` failures in an hour, from wherever, one attempt per
``LOGIN_SLOW_SECONDS`` (``ThrottledLoginForm``), so guessing one account's password from many
addresses gets a few dozen tries an hour, and its owner waits a minute at most. When the
username first reaches that count in an hour, its owner is emailed (by the task worker).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.tasks import task
from wagtail.admin.forms.auth import LoginForm

from .counters import counted_address

WINDOW_SECONDS = 3600


def client_ip(request) -> str:
    """What axes counts as the address (``AXES_CLIENT_IP_CALLABLE``): the visitor's address
    as the proxy middleware left it, an IPv6 one by its /64 (written as the network's first
    address, which axes' address column takes)."""
    return counted_address(request.META.get("REMOTE_ADDR", "")).removesuffix("/64")


def _key(username: str, what: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login:{what}:{digest}"


def failures(username: str) -> int:
    return caches["limits"].get(_key(username, "failures"), 0)


def seconds_to_wait(username: str, *, now: float | None = None) -> int:
    """How long this username must wait before its next attempt (0: it may try now)."""
    if failures(username) < settings.LOGIN_SLOW_AFTER:
        return 0
    last = caches["limits"].get(_key(username, "last"), 0)
    waited = (now or time.time()) - last
    return max(0, int(settings.LOGIN_SLOW_SECONDS - waited + 0.999))


def failure_note(username: str) -> None:
    cache = caches["limits"]
    key = _key(username, "failures")
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            count = 1
    cache.set(_key(username, "last"), time.time(), timeout=WINDOW_SECONDS)
    if count == settings.LOGIN_SLOW_AFTER:
        tell_account_holder.enqueue(username=username)


def _on_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    if username:
        failure_note(str(username))


def _on_success(sender, request, user, **kwargs):
    caches["limits"].delete_many([_key(user.get_username(), w) for w in ("failures", "last")])


def connect() -> None:
    user_login_failed.connect(_on_failure, dispatch_uid="practice.login_throttle.failure")
    user_logged_in.connect(_on_success, dispatch_uid="practice.login_throttle.success")


class ThrottledLoginForm(LoginForm):
    """Wagtail's sign-in form, refusing an attempt for a username that must still wait
    (checked before the password, so a waiting attempt tells nothing about it)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        wait = seconds_to_wait(username) if username else 0
        if wait:
            raise ValidationError(
                f"Several wrong passwords were tried for this account just now. To keep it "
                f"safe, please wait {wait} seconds before trying again.",
                code="slowed_down",
            )
        return super().clean()


@task
def tell_account_holder(*, username: str) -> None:
    """Emails the holder of ``username`` (if there is one, with an email address) that
    their account saw repeated wrong passwords. Says nothing to anyone for a made-up name."""
    user = (
        get_user_model()
        .objects.filter(**{get_user_model().USERNAME_FIELD: username}, is_active=True)
        .first()
    )
    if user is None or not user.email:
        return
    send_mail(
        "Wrong passwords were tried for your account",
        f"Hello {user.get_short_name() or user.get_username()},\n\n"
        f"In the last hour, {settings.LOGIN_SLOW_AFTER} wrong passwords were tried for your "
        f"account on {settings.SITE_URL}/admin/. Sign-in for it is now slowed down to one "
        f"try a minute; your account is not locked.\n\n"
        "If this was you, there is nothing to do. If it was not, someone may be guessing "
        "your password: choose a new, long one (Account, then Change password), keep two-"
        "factor sign-in on, and tell whoever runs the site.\n",
        None,
        [user.email],
    )
