"""Every public page has a title, a description, a canonical link and sharing tags."""

import pytest
from django.conf import settings

PUBLIC_PAGES = ["/", "/about/", "/faq/", "/privacy-notice/", "/medical-disclaimer/", "/articles/"]


@pytest.fixture(params=[*PUBLIC_PAGES, "article", "/book/"])
def public_url(request, article):
    return article.url if request.param == "article" else request.param


@pytest.mark.django_db
def test_every_page_has_its_metadata(client, soup, public_url):
    page = soup(client.get(public_url))

    def meta(attr, name):
        tag = page.find("meta", attrs={attr: name})
        assert tag is not None, f"{name} missing on {public_url}"
        return tag["content"]

    assert page.title.get_text(strip=True).endswith("| Test Street Acupuncture")
    assert 50 <= len(meta("name", "description")) <= 300
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"{settings.SITE_URL}{public_url}"
    assert meta("property", "og:url") == canonical
    assert meta("property", "og:title")
    assert meta("property", "og:description")
    assert meta("property", "og:site_name") == "Test Street Acupuncture"
    assert meta("name", "twitter:card") in {"summary", "summary_large_image"}
    assert meta("name", "twitter:title")
    assert page.html["lang"] == "en"
    assert len(page.find_all("h1")) == 1


@pytest.mark.django_db
def test_articles_share_a_large_image_with_alt_text(client, soup, article):
    page = soup(client.get(article.url))
    og_image = page.find("meta", property="og:image")["content"]
    assert og_image.startswith(settings.SITE_URL + "/media/images/")
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert page.find("meta", property="og:image:alt")["content"]
    rendition = article.hero_image.get_rendition("fill-1200x630|format-jpeg")
    assert og_image.endswith(rendition.url)
    assert (rendition.width, rendition.height) == (1200, 630)
