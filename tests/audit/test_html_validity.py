"""The Nu Html Checker finds no errors on any page type or booking step.

The pages are fetched with the test client and checked together by one run of the
checker: starting Java is the slow part. Warnings are printed, not failed on.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .pages import shown_path

# In the database tests' turn, before any live-server test empties the tables.
pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules/vnu-jar/build/dist/vnu.jar"


def run_vnu(files: list[Path]) -> list[dict]:
    """The checker's messages for ``files``, each with the file it is about."""
    if not VNU.exists():
        pytest.fail(f"The Nu Html Checker is missing: run `make node` to install {VNU}.")
    if shutil.which("java") is None:
        pytest.fail("Java is needed to run the Nu Html Checker: install a JRE 17 or newer.")
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout)["messages"]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _describe(message: dict) -> str:
    where = f"line {message.get('lastLine', '?')}"
    extract = (message.get("extract") or "").strip().replace("\n", " ")
    return f"{where}: {message['message']}  [{extract[:100]}]"


def test_every_page_is_valid_html(walked_pages, tmp_path):
    pages = list(walked_pages.values())
    files = {}
    for page in pages:
        path = tmp_path / f"{_slug(page.name)}.html"
        path.write_text(page.html, encoding="utf-8")
        files[path.resolve().as_uri()] = page
    messages = run_vnu(list(map(Path, [u.removeprefix("file://") for u in files])))

    errors: dict[str, list[str]] = {page.name: [] for page in pages}
    warnings: dict[str, list[str]] = {page.name: [] for page in pages}
    for message in messages:
        page = files.get(message.get("url"))
        name = page.name if page else message.get("url", "?")
        if message["type"] in {"error", "non-document-error"}:
            errors.setdefault(name, []).append(_describe(message))
        elif message.get("subType") == "warning":
            warnings.setdefault(name, []).append(_describe(message))

    print(f"\nNu Html Checker: {len(pages)} pages")
    print(f"  {'page':<44} {'errors':>6} {'warnings':>8}  path")
    for page in pages:
        print(
            f"  {page.name:<44} {len(errors[page.name]):>6} {len(warnings[page.name]):>8}"
            f"  {shown_path(page.path)}"
        )
        for line in errors[page.name] + warnings[page.name]:
            print(f"      {line}")
    assert {name: found for name, found in errors.items() if found} == {}


def test_the_checker_reports_errors(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div>x</p></div>")
    messages = run_vnu([broken])
    assert any(message["type"] == "error" for message in messages)
