"""The demo content leaves the two urgency tiers to the shared box (practice/seek_care.py):
no page writes its own list that could contradict them, and references link to the article,
never to a search."""

import datetime as dt
import re
import tomllib

import pytest

from demo.loader import CONTENT_DIR
from practice.seek_care import DOCTOR_SOON, EMERGENCY

# These check the demo's own content, on the demo-backed database.
pytestmark = pytest.mark.demo

ARTICLE_FILES = sorted((CONTENT_DIR / "articles").glob("*.toml"))
PAGE_FILES = sorted((CONTENT_DIR / "pages").glob("*.toml"))


def blocks_of(path):
    return tomllib.loads(path.read_text())["body"]


def text_of(block) -> str:
    return re.sub(r"<[^>]+>", " ", block.get("text", "")).lower()


@pytest.mark.parametrize("path", ARTICLE_FILES + PAGE_FILES, ids=lambda p: p.stem)
def test_no_doctor_callout_contradicts_the_two_tiers(path):
    for block in blocks_of(path):
        if block["type"] != "callout" or block["kind"] != "doctor":
            continue
        text = text_of(block)
        assert "urgent care" not in text, path.name
        assert "history of cancer" not in text, path.name
        if "chest pain" in text:
            assert "911" in text, path.name


@pytest.mark.parametrize("path", ARTICLE_FILES + PAGE_FILES, ids=lambda p: p.stem)
def test_no_text_sends_chest_pain_anywhere_but_911(path):
    for block in blocks_of(path):
        for text in [block.get("text", "")] + [i.get("answer", "") for i in block.get("items", [])]:
            for sentence in re.split(r"(?<=[.!?])\s", re.sub(r"<[^>]+>", " ", text)):
                if "chest pain" in sentence.lower():
                    assert "911" in sentence, f"{path.name}: {sentence}"


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_references_link_to_the_source_not_to_a_search(path):
    article = tomllib.loads(path.read_text())
    items = article["body"][-1]["items"]
    assert 3 <= len(items) <= 6
    for item in items:
        assert "?term=" not in item["url"], item["citation"]
    assert article["published"] <= article["reviewed"] <= dt.date(2026, 11, 15)


@pytest.mark.parametrize("slug", ["faq", "medical-disclaimer"])
def test_the_faq_and_disclaimer_pages_place_the_shared_box(slug):
    blocks = blocks_of(CONTENT_DIR / "pages" / f"{slug}.toml")
    assert [b["type"] for b in blocks].count("seek_care") == 1
    assert not [b for b in blocks if b["type"] == "callout" and b["kind"] == "doctor"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/faq/", "/medical-disclaimer/"])
def test_those_pages_show_both_tiers_once(client, soup, url):
    boxes = soup(client.get(url)).select(".seek-care")
    assert len(boxes) == 1
    text = boxes[0].get_text(" ", strip=True)
    assert EMERGENCY.title in text and DOCTOR_SOON.title in text
