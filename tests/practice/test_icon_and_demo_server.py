"""The site's icon at /favicon.ico, and the demo (``make run``) serving what a visitor should
see: the site's own 404 page, its static files and its uploaded images."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from practice import icons

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_favicon_ico_is_an_icon_in_three_sizes(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert set(icon.info["sizes"]) == {(16, 16), (32, 32), (48, 48)}
    large = icon.convert("RGBA")  # the 48-pixel image
    size = large.width
    assert large.getpixel((0, 0))[3] == 0  # outside the disc: transparent
    assert large.getpixel((size // 10, size // 2))[:3] == (0x1F, 0x57, 0x50)  # the disc
    trunk = large.getpixel((size // 2, round(size * 24 / 32)))[:3]
    assert min(trunk) > 230  # the cedar's trunk, in cream


def test_favicon_ico_draws_the_same_mark_as_the_svg():
    svg = (ROOT / "static/img/favicon.svg").read_text()
    disc = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill="([^"]+)"', svg)
    cedar = re.search(r'<polygon points="([^"]+)" fill="([^"]+)"', svg)
    assert tuple(float(n) for n in disc.groups()[:3]) == icons.DISC
    assert disc.group(4) == icons.DISC_COLOUR and cedar.group(2) == icons.CEDAR_COLOUR
    points = [tuple(float(n) for n in pair.split(",")) for pair in cedar.group(1).split()]
    assert points == icons.CEDAR


def test_uploads_are_served_only_where_django_is_meant_to_serve_them(client, settings, site):
    url = site.images[0].get_rendition("fill-100x100").url
    assert url.startswith(settings.MEDIA_URL)
    settings.SERVE_MEDIA = False
    assert client.get(url).status_code == 404  # production: nginx serves /media/
    settings.SERVE_MEDIA = True
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_demo_settings_turn_debug_off_and_serve_uploads():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'practice.settings.demo'; "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SERVE_MEDIA, settings.ALLOWED_HOSTS)"
    )
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=keep,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(maxsplit=2) == [
        "False",
        "True",
        "['127.0.0.1', 'localhost', '[::1]']",
    ]


def test_make_run_serves_the_demo_settings_with_its_static_files():
    """DEBUG off, so runserver must be told to serve the static files (--insecure)."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8765"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    server = [line for line in result.stdout.splitlines() if "runserver" in line]
    worker = [line for line in result.stdout.splitlines() if "db_worker" in line]
    assert len(server) == 1 and len(worker) == 1
    assert "DJANGO_SETTINGS_MODULE=practice.settings.demo" in server[0]
    assert "DJANGO_SETTINGS_MODULE=practice.settings.demo" in worker[0]
    assert "runserver --insecure 127.0.0.1:8765" in server[0]


def test_with_debug_off_a_missing_page_is_the_sites_own_404(client, soup):
    assert settings.DEBUG is False  # as in the demo (practice.settings.demo)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "We couldn\u2019t find that page"
    assert page.select_one("header.site-header") and page.select_one("footer.site-footer")
    assert page.select_one('link[rel="stylesheet"]')["href"].startswith(settings.STATIC_URL)
