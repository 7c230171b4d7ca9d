import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.management.commands import ensure_demo_users

# The demo's logins, for the demo practice as loaded (Mei Lin Harper's practitioner record).
pytestmark = pytest.mark.demo


def saved_password(path, username: str) -> str:
    return dict(line.split(" ", 1) for line in path.read_text().splitlines())[username]


@pytest.fixture
def credentials_file(tmp_path, monkeypatch):
    path = tmp_path / ".demo-credentials"
    monkeypatch.setattr(ensure_demo_users, "CREDENTIALS_FILE", path)
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    return path


@pytest.mark.django_db
def test_generates_a_password_once_and_prints_it_every_time(credentials_file, capsys):
    call_command("ensure_demo_users", port="8123")
    first = capsys.readouterr().out
    password = saved_password(credentials_file, "admin")
    admin = get_user_model().objects.get(username="admin")

    call_command("ensure_demo_users", port="8123")

    assert len(password) >= 12
    assert admin.is_superuser and admin.check_password(password)
    assert "http://127.0.0.1:8123/admin/" in first
    assert f"user: admin      password: {password}" in first
    assert password in capsys.readouterr().out
    assert oct(credentials_file.stat().st_mode)[-3:] == "600"


@pytest.mark.django_db
def test_demo_admin_password_from_the_environment_wins(credentials_file, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "correct horse battery staple")
    call_command("ensure_demo_users")
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("correct horse battery staple")
    assert "admin" not in ensure_demo_users.Command()._saved_passwords()


@pytest.mark.django_db
def test_a_password_changed_in_the_admin_is_kept(credentials_file, capsys):
    call_command("ensure_demo_users")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("chosen by the owner")
    admin.save()

    call_command("ensure_demo_users")

    admin.refresh_from_db()
    assert admin.check_password("chosen by the owner")
    assert "changed in the admin" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_printed_credentials_open_the_admin(credentials_file, client):
    call_command("ensure_demo_users")
    password = saved_password(credentials_file, "admin")
    response = client.post(
        "/admin/login/", {"username": "admin", "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
    assert b"Dashboard" in response.content or b"Welcome" in response.content


@pytest.mark.django_db
def test_front_desk_and_practitioner_users_get_their_roles(credentials_file, capsys):
    call_command("ensure_demo_users")
    out = capsys.readouterr().out
    users = get_user_model().objects
    frontdesk, mei = users.get(username="frontdesk"), users.get(username="mei")
    assert [g.name for g in frontdesk.groups.all()] == ["Front desk"]
    assert [g.name for g in mei.groups.all()] == ["Practitioner"]
    assert not frontdesk.is_superuser and not mei.is_superuser
    assert mei.practitioner.profile.slug == "mei-lin-harper"
    assert not frontdesk.has_perm("booking.view_intake") and mei.has_perm("booking.view_intake")
    for name in ("frontdesk", "mei"):
        assert f"password: {saved_password(credentials_file, name)}" in out
