"""Two-factor authentication (TOTP) for the admin, built on django-otp.

With ``TWO_FACTOR_REQUIRED`` on (production's default), every member of staff (front desk,
who sees and exports every patient's contact details, as much as practitioners, who read
intake answers, and editors) must set up an authenticator app and enter its six-digit code
after the password before any admin page opens. With it off, anyone who has set one up
from the account menu is still asked for it. The ``make run`` demo leaves it off, so its
printed passwords are enough to look around.

wagtail-2fa 1.8.0 was the first choice; it does not import under Wagtail 8 (it needs
``wagtail.users.widgets``, which is gone), so the few views it provided are here, on
django-otp's device model, throttling and session handling.
"""

from __future__ import annotations

import base64

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

# Admin pages an unverified user may still open: signing in and out, and these views.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "two_factor_verify",
    "two_factor_setup",
    "two_factor_qr",
}


def is_required() -> bool:
    return settings.TWO_FACTOR_REQUIRED


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def must_use_two_factor(user) -> bool:
    """Whether this signed-in user must pass the second factor (when it is required):
    everyone who reaches the admin."""
    return user.is_authenticated


class TwoFactorMiddleware:
    """Sends staff who must use two factors, and have not yet, to set up or verify.

    Comes after django-otp's OTPMiddleware, which gives ``request.user.is_verified()``.
    Only the admin is guarded; the public site has no logins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_required() or not request.path.startswith("/admin/"):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        user = request.user
        # is_verified() is read from the session; the device check is a query.
        if user.is_verified() or not must_use_two_factor(user):
            return None
        name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), login_url=reverse(name))


class TokenField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Six-digit code",
            max_length=8,
            help_text="From the authenticator app on your phone.",
            **kwargs,
        )
        self.widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )

    def clean(self, value):
        return "".join(super().clean(value).split())


class TokenForm(forms.Form):
    otp_token = TokenField()

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"]
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "Too many wrong codes. Wait a minute, then enter the newest code.",
                code="throttled",
            )
        if not self.device.verify_token(token):  # counts failures, throttles
            raise forms.ValidationError(
                "That code is not right. Check the clock on your phone and enter the newest code.",
                code="invalid",
            )
        return token


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _unconfirmed_device(user) -> TOTPDevice:
    """The device being set up: kept until confirmed, so a reload shows the same code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@sensitive_post_parameters("otp_token")
@never_cache
def verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect(reverse("two_factor_setup") + f"?next={_next_url(request)}")
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, device)
        return redirect(_next_url(request))
    return TemplateResponse(
        request, "two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


@sensitive_post_parameters("otp_token")
@never_cache
def setup(request):
    if confirmed_device(request.user) is not None and not request.user.is_verified():
        # A second device needs the first one's code: go through verification.
        return redirect(reverse("two_factor_verify") + f"?next={_next_url(request)}")
    device = _unconfirmed_device(request.user)
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        django_otp.login(request, device)
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "two_factor/setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "has_device": confirmed_device(request.user) is not None,
            # The key in the form apps accept when typed (base32), in groups of four.
            "secret": _base32_groups(device.bin_key),
        },
    )


@never_cache
def qr_code(request):
    """The QR code of the device being set up, as SVG. Only ever its owner's."""
    device = _unconfirmed_device(request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store, private"
    return response


def _base32_groups(key: bytes) -> str:
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
