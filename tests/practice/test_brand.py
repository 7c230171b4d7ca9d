"""The practice's look, from Settings → Practice details: colours checked for contrast before
they are saved, a typeface served from this site, and a change shown on the next page load
everywhere, the admin included, through the page cache."""

import re

import pytest
from django.core.exceptions import ValidationError

from practice import brand
from practice.models import PracticeSettings
from practice.typefaces import TYPEFACES

pytestmark = pytest.mark.django_db


def brand_link(html: str, *, admin: bool = False) -> str:
    pattern = (
        r'href="(/brand/[0-9a-f]+/admin\.css)"' if admin else r'href="(/brand/[0-9a-f]+\.css)"'
    )
    return re.search(pattern, html)[1]


@pytest.mark.parametrize(
    "colour, fine",
    [
        ("#1f5750", True),  # the default: 8.0:1 on white
        ("#767676", False),  # 4.54:1 on white but 4.0:1 on the tint
        ("#7fb3a9", False),  # a pale sage
        ("#ffcc00", False),
        ("#000000", True),
        ("1f5750", False),  # not written as a colour
        ("#12345", False),
    ],
)
def test_a_colour_too_light_for_its_text_is_refused_at_its_field(site, colour, fine):
    practice = PracticeSettings.objects.get(site=site.site)
    practice.brand_colour = colour
    if fine:
        practice.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        practice.full_clean()
    assert set(refused.value.message_dict) == {"brand_colour"}
    assert re.search(r"too light|hexadecimal", refused.value.message_dict["brand_colour"][0])


def test_contrast_is_wcags():
    assert round(brand.contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(brand.contrast("#767676", "#ffffff"), 2) == 4.54


def test_the_settings_form_refuses_a_pale_pair(admin_client, site):
    """Through the admin, as the practice would: the message is at the field, nothing saved."""
    url = f"/admin/settings/practice/practicesettings/{site.site.pk}/"
    form = admin_client.get(url)
    assert form.status_code == 200
    assert "Main colour" in form.content.decode()
    practice = PracticeSettings.objects.get(site=site.site)
    data = {
        "name": practice.name,
        "tagline": practice.tagline,
        "phone": practice.phone,
        "email": practice.email,
        "street_address": practice.street_address,
        "address_locality": practice.address_locality,
        "address_region": practice.address_region,
        "postal_code": practice.postal_code,
        "address_country": practice.address_country,
        "map_url": practice.map_url,
        "opening_hours-count": "0",
        "price_currency": practice.price_currency,
        "brand_colour": "#9ccfc4",
        "brand_colour_dark": "#153e39",
        "typeface": "lora",
    }
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "This colour is too light" in refused.content.decode()
    practice.refresh_from_db()
    assert practice.brand_colour == brand.DEFAULT_MAIN and practice.typeface == "system"


def test_a_change_shows_on_the_next_page_load_everywhere(client, admin_client, site):
    first = client.get("/").content.decode()
    assert client.get("/").content.decode() == first  # kept by the page cache
    old = brand_link(first)

    practice = PracticeSettings.objects.get(site=site.site)
    practice.brand_colour = "#6a1b4d"
    practice.brand_colour_dark = "#3b0f2b"
    practice.typeface = "lora"
    practice.save()

    for path in ("/", site.article.url, "/articles/", "/book/"):
        html = client.get(path).content.decode()
        link = brand_link(html)
        assert link != old, path
        assert 'rel="preload" href="/static/fonts/lora-latin-400-normal.woff2"' in html, path
    css = client.get(link)
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    text = css.content.decode()
    assert "--brand: #6a1b4d;" in text and "--brand-dark: #3b0f2b;" in text
    assert 'url("/static/fonts/lora-latin-400-normal.woff2")' in text
    assert "font-display: optional" in text and "size-adjust:" in text
    assert "http" not in text  # nothing from another site
    # An address from before the change gets today's colours, kept by nobody.
    assert client.get(old)["Cache-Control"] == "no-cache"
    assert "#6a1b4d" in client.get(old).content.decode()

    admin = admin_client.get("/admin/").content.decode()
    admin_css = admin_client.get(brand_link(admin, admin=True)).content.decode()
    assert "--w-color-primary-hue: 322.0;" in admin_css


def test_the_admin_carries_the_practices_name_and_mark(admin_client, client, site):
    admin = admin_client.get("/admin/").content.decode()
    name = site.practice.name
    assert re.search(rf"<title>[^<]* - {re.escape(name)}</title>", admin)
    assert f'class="practice-admin-logo" src="/static/img/favicon.svg" alt="{name}"' in admin
    assert "wagtailadmin/images/favicon.ico" not in admin
    login = client.get("/admin/login/").content.decode()
    assert f"Sign in to {name}" in login and "icon-wagtail" not in login


def test_every_typeface_file_is_in_the_static_files_with_its_licence(settings):
    from pathlib import Path

    static = Path(settings.BASE_DIR) / "static"
    for face in TYPEFACES.values():
        for weight in (400, 700):
            assert (static / face.file(weight)).stat().st_size > 5000
        assert "Open Font License" in (static / f"fonts/{face.key}-LICENSE.txt").read_text()


def test_the_fallback_takes_the_faces_room():
    """Lora is wider than Times New Roman: its fallback is scaled up to match."""
    overrides = TYPEFACES["lora"].overrides()
    assert overrides["size-adjust"] == "115.20%"
    assert overrides["ascent-override"] == "87.33%"
