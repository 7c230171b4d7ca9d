"""JSON-LD is parsed back out of the pages and checked against what schema.org expects."""

import datetime as dt
import json

import pytest
from django.conf import settings

from practice.structured_data import to_script_json


def json_ld(soup_page) -> dict[str, dict]:
    items = [json.loads(s.string) for s in soup_page.select('script[type="application/ld+json"]')]
    return {item["@type"]: item for item in items}


@pytest.mark.django_db
def test_article_is_a_dated_reviewed_medical_web_page(client, soup, article):
    data = json_ld(soup(client.get(article.url)))
    page = data["MedicalWebPage"]

    assert page["@context"] == "https://schema.org"
    assert page["headline"] == article.title
    assert page["url"] == article.full_url
    assert page["description"] == article.summary
    assert dt.datetime.fromisoformat(page["datePublished"]) == article.first_published_at
    assert dt.datetime.fromisoformat(page["dateModified"]) >= article.first_published_at
    assert dt.date.fromisoformat(page["lastReviewed"]) == article.last_reviewed
    assert page["image"].startswith(settings.SITE_URL + "/")
    assert page["publisher"]["name"] == "Test Street Acupuncture"
    assert {t["name"] for t in page["about"]} == {"Shoulder pain", "Sleep"}

    for role in ("author", "reviewedBy"):
        person = page[role]
        assert person["@type"] == "Person"
        assert person["name"] == "Rosa Lind"
        assert person["honorificSuffix"] == "L.Ac."
        assert {(c["credentialCategory"], c["name"]) for c in person["hasCredential"]} == {
            ("license", "Licensed Acupuncturist, Vermont"),
            ("certification", "Diplomate of Acupuncture, NCCAOM"),
        }


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
