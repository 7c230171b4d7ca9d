"""The emails that prove an address: a booking's code, and the sign-in link to "My
appointments". Neither says whether the practice knows the address, and neither holds
anything about the patient's health."""

from django.conf import settings
from django.urls import reverse

from ..emails import _message, _practice


def my_appointments_url() -> str:
    return settings.SITE_URL + reverse("my:home")


def email_code_message(*, to: str, code: str):
    practice = _practice()
    context = {
        "code": code,
        "practice": practice,
        "my_url": my_appointments_url(),
        "minutes": 10,
    }
    return _message(f"your code is {code}", "email_code", context, [to], practice)


def sign_in_message(*, to: str, first_name: str, token: str):
    practice = _practice()
    context = {
        "first_name": first_name,
        "practice": practice,
        "sign_in_url": settings.SITE_URL + reverse("my:sign_in", args=[token]),
        "my_url": my_appointments_url(),
        "minutes": 15,
    }
    return _message("sign in to your appointments", "sign_in", context, [to], practice)
