"""Two-factor sign-in: required of staff who can read intake answers when switched on
(production's default), off in the demo, and real TOTP codes from django-otp."""

import datetime as dt
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from booking.groups import FRONT_DESK, PRACTITIONER
from tests.factories.staff import staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase"


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_the_demo_does_not_ask_for_a_second_factor(client):
    assert django_settings.TWO_FACTOR_REQUIRED is False
    client.force_login(staff_member("mei2", PRACTITIONER, password=PASSWORD))
    assert client.get("/admin/").status_code == 200


def test_production_requires_it_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "practice.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "clinic.example",
            "EMAIL_URL": "smtp://mail.example",
            "SITE_URL": "https://clinic.example",
            "INTAKE_ENCRYPTION_KEYS": "6-JdI7_q1sx7woYllyjKiWT-x9YwetrTm-Sr_3LvuWo=",
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_a_practitioner_without_a_device_must_set_one_up_first(required, client):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    client.force_login(mei)

    response = client.get("/admin/bookings/appointments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/two-factor/set-up/?next=")

    page = client.get("/admin/two-factor/set-up/")
    assert page.status_code == 200
    assert b"Scan this code" in page.content
    assert "no-store" in page["Cache-Control"]
    qr = client.get("/admin/two-factor/set-up/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content

    device = TOTPDevice.objects.get(user=mei, confirmed=False)
    wrong = client.post("/admin/two-factor/set-up/", {"otp_token": "000000", "next": "/admin/"})
    assert b"That code is not right" in wrong.content
    # django-otp makes the next try wait a moment after a wrong code.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        done = client.post(
            "/admin/two-factor/set-up/", {"otp_token": code(device), "next": "/admin/"}
        )
    assert done.status_code == 302 and done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_practitioner_with_a_device_enters_its_code_after_the_password(required, client):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    device = TOTPDevice.objects.create(user=mei, name="Phone", confirmed=True)
    client.force_login(mei)

    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/two-factor/verify/?next=")
    assert b"Enter your code" in client.get("/admin/two-factor/verify/").content

    # Off-site "next" addresses are ignored.
    done = client.post(
        "/admin/two-factor/verify/", {"otp_token": code(device), "next": "https://evil.example/"}
    )
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_code_page_can_sign_out_instead(required, client, soup):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    TOTPDevice.objects.create(user=mei, name="Phone", confirmed=True)
    client.force_login(mei)
    page = soup(client.get("/admin/two-factor/verify/"))
    sign_out = page.find("button", string="Sign out").find_parent("form")
    assert sign_out["method"] == "post"
    client.post(sign_out["action"])
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_wrong_codes_are_refused_and_then_throttled(required, client):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    device = TOTPDevice.objects.create(user=mei, name="Phone", confirmed=True)
    client.force_login(mei)

    for _ in range(3):
        client.post("/admin/two-factor/verify/", {"otp_token": "123456"})
    # Even the right code waits once several wrong ones came in a row.
    response = client.post("/admin/two-factor/verify/", {"otp_token": code(device)})
    assert response.status_code == 200
    assert b"Too many wrong codes" in response.content
    assert client.get("/admin/").status_code == 302


def test_every_member_of_staff_must_set_up_a_second_factor_front_desk_too(required, client):
    for who in [staff_member("desk2", FRONT_DESK, password=PASSWORD), staff_member("editor")]:
        client.force_login(who)
        assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/"), who
        client.logout()


def test_staff_who_chose_a_device_are_asked_for_it(required, client):
    desk = staff_member("desk2", FRONT_DESK, password=PASSWORD)
    TOTPDevice.objects.create(user=desk, name="Phone", confirmed=True)
    client.force_login(desk)
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/verify/")


def test_signing_in_with_the_password_still_works_and_leads_to_the_code(required, client):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    TOTPDevice.objects.create(user=mei, name="Phone", confirmed=True)
    response = client.post(
        "/admin/login/",
        {"username": "mei2", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/admin/two-factor/verify/")
    assert response.status_code == 200


def test_reset_command_removes_a_lost_phone(capsys):
    mei = staff_member("mei2", PRACTITIONER, password=PASSWORD)
    TOTPDevice.objects.create(user=mei, name="Phone", confirmed=True)
    call_command("reset_two_factor", "mei2")
    assert "Removed 1 device(s)" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=mei).exists()
