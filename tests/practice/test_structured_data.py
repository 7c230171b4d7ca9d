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
    assert page["publisher"]["name"] == "Cedar Street Acupuncture"
    assert {t["name"] for t in page["about"]} == {t.name for t in article.topics.all()}

    for role in ("author", "reviewedBy"):
        person = page[role]
        assert person["@type"] == "Person"
        assert person["name"] == "Mei Lin Harper"
        assert person["honorificSuffix"] == "L.Ac., Dipl. Ac. (NCCAOM)"
        assert {c["credentialCategory"] for c in person["hasCredential"]} == {
            "license",
            "certification",
        }


@pytest.mark.django_db
def test_article_carries_breadcrumbs_and_its_questions(client, soup, article):
    data = json_ld(soup(client.get(article.url)))
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == article.full_url
    assert crumbs[1]["item"] == f"{settings.SITE_URL}/articles/"
    questions = data["FAQPage"]["mainEntity"]
    assert len(questions) == len(article.faq_items) > 0
    assert all(
        q["acceptedAnswer"]["text"] and "<" not in q["acceptedAnswer"]["text"] for q in questions
    )


@pytest.mark.django_db
def test_home_page_describes_the_clinic(client, soup):
    data = json_ld(soup(client.get("/")))
    clinic = data["MedicalClinic"]
    assert clinic["name"] == "Cedar Street Acupuncture"
    assert clinic["telephone"] == "(555) 010-4477"
    assert clinic["address"]["@type"] == "PostalAddress"
    assert clinic["address"]["streetAddress"] == "120 Cedar Street, Suite 2"
    hours = clinic["openingHoursSpecification"]
    assert hours[0]["dayOfWeek"][0] == "https://schema.org/Monday"
    assert (hours[0]["opens"], hours[0]["closes"]) == ("09:00", "18:00")
    assert data["WebSite"]["publisher"]["@id"] == clinic["@id"]


@pytest.mark.django_db
def test_faq_page_publishes_its_questions(client, soup):
    data = json_ld(soup(client.get("/faq/")))
    assert len(data["FAQPage"]["mainEntity"]) >= 8
    assert "BreadcrumbList" in data


def test_json_cannot_break_out_of_its_script_element():
    text = to_script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"].startswith("</script>")
