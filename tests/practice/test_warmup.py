"""The app server's start-up (practice/wsgi.py) compiles the site's templates, the form
widgets' and the URL names' table before gunicorn forks, and touches no database doing so."""

import json
import os
import subprocess
import sys

from django.conf import settings

from tests.practice.test_env import COMPLETE

# Run in a new process: the test run's own engines have long compiled what the tests used.
PROBE = """
import json
import practice.wsgi
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import get_resolver

def cached(engine):
    return sorted({key.split("-")[0] for loader in engine.engine.template_loaders
                   for key in loader.get_template_cache})

booking = get_resolver().namespace_dict["booking"][1]
print(json.dumps({
    "site": cached(engines["django"]),
    "widgets": cached(get_default_renderer().engine),
    "booking_names": len(booking._reverse_dict),
}))
"""


def test_start_up_compiles_the_pages_and_forms_templates_without_a_database():
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    # Nothing listens there: a query during start-up would stop it with an error.
    unreachable = {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**keep, **COMPLETE, **unreachable},
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])

    for name in (
        "base.html",
        "booking/details.html",
        "booking/intake.html",
        "blog/article_page.html",
    ):
        assert name in found["site"]
    assert "bootstrap5/field.html" in found["site"]  # crispy-forms' fields
    assert "django/forms/widgets/text.html" in found["widgets"]
    assert not any(name.startswith("wagtailadmin/") for name in found["site"])  # left to load
    assert found["booking_names"] > 0
