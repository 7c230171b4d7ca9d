"""deploy/ stays in step with the code: every variable the settings read is in the
environment template and in docs/settings.md, and every command the units run exists."""

import re
import shlex
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
READ = re.compile(r"""(?:env_(?:str|list|bool|int)\(|environ\.get\()\s*"([A-Z_]+)\"""")
# Read only by `make run` (the demo) and the test suite.
NOT_FOR_PRODUCTION = {"DEMO_ADMIN_PASSWORD"}


def _variables_read() -> set[str]:
    found = set()
    for path in (ROOT / "practice" / "settings").glob("*.py"):
        found.update(READ.findall(path.read_text()))
    return found - NOT_FOR_PRODUCTION


def test_every_variable_the_settings_read_is_in_the_template_and_the_settings_page():
    variables = _variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXIES"} <= variables
    template = (ROOT / "deploy" / "practice.env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", template, flags=re.MULTILINE))
    assert variables - listed == set()
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert {name for name in variables if f"| `{name}` |" not in documented} == set()


def test_every_command_the_units_run_exists():
    commands = get_commands()
    units = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
    assert len(units) == 4
    for unit in units:
        line = next(x for x in unit.read_text().splitlines() if x.startswith("ExecStart="))
        words = shlex.split(line.removeprefix("ExecStart="))
        if "manage.py" in words:
            assert words[words.index("manage.py") + 1] in commands, unit.name
        else:
            assert words[1] == "practice.wsgi:application"
            assert "--preload" in words  # a bad variable stops gunicorn with its name
