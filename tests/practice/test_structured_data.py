"""JSON-LD is parsed back out of the pages and checked against what schema.org expects."""

import datetime as dt
import json

import pytest
from django.conf import settings

from practice.structured_data import to_script_json


def json_ld(soup_page) -> dict[str, dict]:
    items = [json.loads(s.string) for s in soup_page.select('script[type="application/ld+json"]')]
    return {item["@type"]: item for item in items}


# What schema.org defines on each type the article uses (schema.org/Article and
# schema.org/MedicalWebPage, with what they inherit from CreativeWork and Thing), as far as the
# site uses them: a property outside its type's list is a mistake (``wordCount`` on a page).
CREATIVE_WORK = {
    "@context", "@type", "@id", "url", "name", "description", "headline", "image", "author",
    "publisher", "datePublished", "dateModified", "inLanguage", "isAccessibleForFree",
    "timeRequired", "about", "keywords", "mainEntity", "mainEntityOfPage", "isPartOf",
}  # fmt: skip
ALLOWED = {
    "Article": CREATIVE_WORK | {"wordCount", "articleBody", "articleSection"},
    "MedicalWebPage": CREATIVE_WORK
    | {"lastReviewed", "reviewedBy", "medicalAudience", "primaryImageOfPage", "breadcrumb"},
}


@pytest.mark.django_db
def test_article_is_a_reviewed_medical_web_page_about_an_article(client, soup, article):
    data = json_ld(soup(client.get(article.url)))
    page = data["MedicalWebPage"]
    entry = page["mainEntity"]

    assert page["@context"] == "https://schema.org"
    assert page["@id"] == page["url"] == article.full_url
    assert dt.date.fromisoformat(page["lastReviewed"]) == article.last_reviewed
    assert page["medicalAudience"]["audienceType"] == "Patient"
    assert entry["@type"] == "Article"
    assert entry["mainEntityOfPage"] == {"@id": article.full_url}
    # Google's Article guidance: headline, image, both dates, an author with name and url.
    assert entry["headline"] == article.title
    assert entry["description"] == article.summary
    assert entry["image"].startswith(settings.SITE_URL + "/")
    assert dt.datetime.fromisoformat(entry["datePublished"]) == article.first_published_at
    assert dt.datetime.fromisoformat(entry["dateModified"]) >= article.first_published_at
    assert entry["wordCount"] == article.word_count > 0
    assert {t["name"] for t in entry["about"]} == {"Shoulder pain", "Sleep"}
    for item in (page, entry):
        assert set(item) <= ALLOWED[item["@type"]], set(item) - ALLOWED[item["@type"]]


@pytest.mark.django_db
def test_article_author_and_reviewer_link_their_public_profile(client, soup, article):
    data = json_ld(soup(client.get(article.url)))
    page = data["MedicalWebPage"]
    profile = f"{settings.SITE_URL}/practitioners/rosa-lind/"
    for person in (page["mainEntity"]["author"], page["reviewedBy"]):
        assert person["@type"] == "Person"
        assert person["name"] == "Rosa Lind"
        assert person["url"] == profile
        assert person["@id"] == profile + "#person"
        assert person["honorificSuffix"] == "L.Ac."
        assert {(c["credentialCategory"], c["name"]) for c in person["hasCredential"]} == {
            ("license", "Licensed Acupuncturist, Vermont"),
            ("certification", "Diplomate of Acupuncture, NCCAOM"),
        }
    assert client.get(profile.removeprefix(settings.SITE_URL)).status_code == 200


@pytest.mark.django_db
def test_article_publisher_is_the_clinic_with_its_address(client, soup, article):
    home = json_ld(soup(client.get("/")))["MedicalClinic"]
    publisher = json_ld(soup(client.get(article.url)))["MedicalWebPage"]["mainEntity"]["publisher"]
    assert publisher["@type"] == "MedicalClinic"
    assert publisher["@id"] == home["@id"]
    assert publisher["name"] == "Test Street Acupuncture"
    assert publisher["url"] == settings.SITE_URL + "/"
    assert publisher["address"] == home["address"]
    assert publisher["address"]["@type"] == "PostalAddress"
    assert publisher["address"]["streetAddress"] == "9 Test Street, Ground floor"


@pytest.mark.django_db
def test_profile_page_is_about_the_practitioner(client, soup):
    data = json_ld(soup(client.get("/practitioners/rosa-lind/")))
    profile = data["ProfilePage"]
    assert profile["url"] == f"{settings.SITE_URL}/practitioners/rosa-lind/"
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert (person["name"], person["url"]) == ("Rosa Lind", profile["url"])
    assert person["description"] == "Rosa Lind treats back and neck pain."
    assert person["image"].startswith(settings.SITE_URL + "/")


@pytest.mark.django_db
def test_article_carries_breadcrumbs_and_its_questions(client, soup, article):
    data = json_ld(soup(client.get(article.url)))
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == article.full_url
    assert crumbs[1]["item"] == f"{settings.SITE_URL}/articles/"
    questions = data["FAQPage"]["mainEntity"]
    assert [q["name"] for q in questions] == [
        "Should I sleep on the sore side?",
        "Does a new pillow help?",
        "How soon does it ease?",
    ]
    assert [q["acceptedAnswer"]["text"] for q in questions] == [
        "Rarely.",
        "Sometimes.",
        "Give it weeks.",
    ]


@pytest.mark.django_db
def test_home_page_describes_the_clinic(client, soup):
    data = json_ld(soup(client.get("/")))
    clinic = data["MedicalClinic"]
    assert clinic["name"] == "Test Street Acupuncture"
    assert clinic["telephone"] == "(555) 010-2323"
    assert clinic["address"]["@type"] == "PostalAddress"
    assert clinic["address"]["streetAddress"] == "9 Test Street, Ground floor"
    assert clinic["address"]["addressLocality"] == "Riverton"
    hours = clinic["openingHoursSpecification"]
    assert [len(h["dayOfWeek"]) for h in hours] == [5, 1]
    assert hours[0]["dayOfWeek"][0] == "https://schema.org/Monday"
    assert (hours[0]["opens"], hours[0]["closes"]) == ("08:30", "17:30")
    assert hours[1]["dayOfWeek"] == ["https://schema.org/Saturday"]
    assert data["WebSite"]["publisher"]["@id"] == clinic["@id"]


@pytest.mark.django_db
def test_faq_page_publishes_its_questions(client, soup):
    data = json_ld(soup(client.get("/faq/")))
    questions = [q["name"] for q in data["FAQPage"]["mainEntity"]]
    assert len(questions) == 8  # both of the page's lists, four each
    assert questions[0] == "Where do I park?" and questions[-1] == "Do you send receipts?"
    assert "BreadcrumbList" in data


def test_json_cannot_break_out_of_its_script_element():
    text = to_script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"].startswith("</script>")
