"""The admin's "Forgotten password?": limited, sent by the task worker, and the same work
in the request whether or not the address belongs to an account.

The request only counts the attempt (per address and per email address) and, within the
limits, queues ``send_password_reset`` with the email address typed: known or unknown, the
same one enqueue, so the answer's timing says nothing about who has an account. The worker
looks the address up and sends the link (Wagtail's templates and its base URL, so the link
starts with ``SITE_URL``). Over a limit, nothing is queued and the page reads the same.
"""

from django.conf import settings
from django.tasks import task
from wagtail.admin.forms.auth import PasswordResetForm

from .counters import allow_name, counted_address

WINDOW_SECONDS = 3600


class QueuedPasswordResetForm(PasswordResetForm):
    def save(self, *, request=None, **kwargs):
        email = self.cleaned_data["email"]
        address = counted_address(request.META.get("REMOTE_ADDR", "")) if request else ""
        by_address = allow_name(
            address,
            scope="password-reset",
            limit=settings.PASSWORD_RESETS_PER_ADDRESS,
            window_seconds=WINDOW_SECONDS,
        )
        by_account = allow_name(
            email,
            scope="password-reset-account",
            limit=settings.PASSWORD_RESETS_PER_ACCOUNT,
            window_seconds=WINDOW_SECONDS,
        )
        if by_address and by_account:
            send_password_reset.enqueue(email=email)


@task
def send_password_reset(*, email: str) -> None:
    """Sends the reset link to every active account with a usable password at ``email``
    (Django's rule), none for an address no account has."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=settings.SITE_URL.split("://", 1)[-1],
        use_https=settings.SITE_URL.startswith("https://"),
        subject_template_name="wagtailadmin/account/password_reset/email_subject.txt",
        email_template_name="wagtailadmin/account/password_reset/email.txt",
    )
