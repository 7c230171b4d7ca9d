from django.urls import path, reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import two_factor
from .models import PractitionerProfile


class PractitionerProfileViewSet(SnippetViewSet):
    model = PractitionerProfile
    icon = "user"
    menu_label = "Practitioners"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "credentials", "job_title"]
    search_fields = ["name"]


register_snippet(PractitionerProfileViewSet)


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
        path("two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
        path("two-factor/set-up/qr.svg", two_factor.qr_code, name="two_factor_qr"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    has_device = two_factor.confirmed_device(request.user) is not None
    return {
        "url": reverse("two_factor_setup"),
        "label": "Add an authenticator app" if has_device else "Set up two-factor sign-in",
        "help_text": "A six-digit code from your phone, asked after your password.",
    }
