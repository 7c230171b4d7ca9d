"""``make run``'s set-up in one process: every step, the logins printed last."""

import io

import pytest
from django.core.management import call_command

from demo.management.commands import ensure_demo_users

pytestmark = pytest.mark.demo


@pytest.mark.django_db
def test_the_set_up_runs_every_step_once_and_ends_with_the_logins(tmp_path, monkeypatch):
    monkeypatch.setattr(ensure_demo_users, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    out, err = io.StringIO(), io.StringIO()
    call_command("prepare_demo", port="8123", stdout=out, stderr=err)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[0] == "Database: up to date."
    assert any(line.startswith("Demo content") for line in lines)
    assert any(line.startswith("Site address:") for line in lines)
    # The repeating tasks were asked for: the tests' task backend runs tasks at once and
    # cannot hold one for later, which the command says (the demo's database queue can).
    assert "cannot hold a task for later" in err.getvalue()
    assert lines[-4] == "Admin: http://127.0.0.1:8123/admin/"
    assert [line.split()[1] for line in lines[-3:]] == ["admin", "frontdesk", "mei"]
    assert not [line for line in lines if "Task id=" in line]
