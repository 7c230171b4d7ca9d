"""Everything a page loads comes from the site itself, stays small, and works without JavaScript."""

import gzip
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

# The tests' own site (tests/conftest.py ``own_site``), not the demo's, for every test with the
# database.
pytestmark = pytest.mark.usefixtures("own_site")

PAGES = ["/", "/articles/", "/about/", "/faq/", "/privacy-notice/", "/book/", "/nonexistent/"]
ASSET_BUDGET_BYTES = 60 * 1024


@pytest.fixture(params=[*PAGES, "article"])
def page_url(request, article):
    return article.url if request.param == "article" else request.param


def loaded_resources(page) -> list[str]:
    """Every URL the browser fetches by itself: styles, scripts, images, icons, frames."""
    urls = [tag["href"] for tag in page.select("link[href]") if tag.get("rel") != ["canonical"]]
    urls += [tag["src"] for tag in page.select("[src]")]
    for tag in page.select("[srcset]"):
        urls += [candidate.split()[0] for candidate in tag["srcset"].split(",")]
    return urls


@pytest.mark.django_db
def test_nothing_is_loaded_from_another_site(client, soup, page_url):
    page = soup(client.get(page_url))
    own_host = urlsplit(settings.SITE_URL).netloc
    for url in loaded_resources(page):
        host = urlsplit(url).netloc
        assert host in {"", own_host}, f"{page_url} loads {url}"
    assert not page.select("iframe")


@pytest.mark.django_db
def test_css_and_javascript_stay_under_60_kb_gzipped(client, soup, page_url):
    page = soup(client.get(page_url))
    assets = [t["href"] for t in page.select('link[rel="stylesheet"]')]
    assets += [t["src"] for t in page.select("script[src]")]
    total = 0
    for url in assets:
        if url.startswith("/brand/"):  # the practice's colours and typeface, from its settings
            response = client.get(url)
            assert response.status_code == 200, url
            total += len(gzip.compress(response.content))
            continue
        path = finders.find(urlsplit(url).path.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is not one of the site's static files"
        with open(path, "rb") as f:
            total += len(gzip.compress(f.read()))
    inline = "".join(s.get_text() for s in page.select("script:not([type='application/ld+json'])"))
    total += len(gzip.compress(inline.encode()))
    assert total < ASSET_BUDGET_BYTES


@pytest.mark.django_db
def test_pages_need_no_javascript(client, soup, page_url):
    page = soup(client.get(page_url))
    assert page.select("script:not([type='application/ld+json'])") == []


@pytest.mark.django_db
def test_article_images_use_renditions_with_srcset_modern_formats_and_lazy_loading(
    client, soup, article
):
    page = soup(client.get(article.url))
    hero = page.select_one(".article__hero picture")
    assert hero.select_one('source[type="image/webp"]')["srcset"].count("w,") >= 2
    hero_img = hero.select_one("img")
    assert hero_img["alt"] == article.hero_image.default_alt_text
    assert hero_img.get("loading") != "lazy"  # above the fold
    assert hero_img["sizes"]
    below = page.select(".article__body img, .card img")
    assert below and all(img["loading"] == "lazy" for img in below)
    assert all(img.has_attr("width") and img.has_attr("height") for img in page.select("img"))


@pytest.mark.django_db
def test_every_form_control_has_a_real_label(client, soup):
    page = soup(client.get("/articles/"))
    for control in page.select("input:not([type=hidden]), select, textarea"):
        assert page.select_one(f'label[for="{control["id"]}"]'), control


@pytest.mark.django_db
def test_the_page_skeleton_is_accessible(client, soup, page_url):
    page = soup(client.get(page_url))
    skip = page.select_one("a.skip-link")
    assert skip["href"] == "#main" and page.select_one("main#main")
    assert page.select_one('nav[aria-label="Main"]')
    assert page.select_one("header") and page.select_one("footer")
