"""Security headers Django does not set by itself, and per-area policies.

- Permissions-Policy: the site needs no camera, microphone, location or payment.
- The admin gets its own, looser Content Security Policy (Wagtail's admin still needs
  inline styles and scripts); public pages keep the strict one from settings.
- Behind a reverse proxy, the visitor's address (``ProxyClientAddressMiddleware``).
- Pages with personal data (booking steps, the manage link, the admin) are never stored
  by browsers or proxies: ``Cache-Control: no-store``.
"""

import contextlib
import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
PRIVATE_PREFIXES = ("/admin/", "/book/")


SIGN_IN_URL_NAMES = {"two_factor_verify", "two_factor_setup"}


def _signing_in(request) -> bool:
    """The admin's pages before one is signed in (sign-in, password reset) and the second
    factor's: Wagtail writes no inline script on them, so they get a policy without
    'unsafe-inline' scripts. Wagtail's other admin pages still need it (see ADMIN_CSP)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    match = request.resolver_match
    return match is not None and match.url_name in SIGN_IN_URL_NAMES


class SecurityHeadersMiddleware:
    """Listed after Django's CSP middleware, so its choice of policy is seen there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith("/admin/"):
            # Wagtail renders previews by sending the page through the middleware once more:
            # the public policy it picked up there must give way to the admin's.
            del response.headers["Content-Security-Policy"]
            response._csp_config = (
                settings.ADMIN_SIGN_IN_CSP if _signing_in(request) else settings.ADMIN_CSP
            )
        if request.path.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class ProxyClientAddressMiddleware:
    """The visitor's address behind the reverse proxy, in ``REMOTE_ADDR``.

    Through nginx every connection comes from the proxy, so without this the booking limit
    and the login throttle would count the whole world as one visitor (and lock out every
    member of staff after five wrong passwords). nginx sets ``X-Real-IP`` to the address
    it was connected from, replacing any the visitor sent; it is believed only when the
    connection comes from an address in ``TRUSTED_PROXIES``. gunicorn itself never
    changes ``REMOTE_ADDR``.
    """

    def __init__(self, get_response):
        if not settings.TRUSTED_PROXIES:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.proxies = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in self.proxies:
            forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
            # No header, or not an address: the proxy's own stands.
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded))
        return self.get_response(request)
