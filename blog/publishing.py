"""What an article needs before it may be published, checked in one place.

An article is health content: readers must see who wrote it, who checked it and when, and
what it rests on. A draft may lack any of these; publishing may not. The editor's form
(``blog.forms.ArticlePageForm``) shows the messages beside the fields, and the model refuses
the publish itself (``ArticlePage.publish`` and ``ArticlePage.save``), so scheduled publishing,
workflows, bulk actions and scripts are held to the same rule.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MISSING_AUTHOR = "Choose who wrote this article before publishing it."
MISSING_REVIEWER = "Choose who reviewed this article before publishing it."
MISSING_REVIEW_DATE = "Give the date this article was last reviewed before publishing it."
# Shown to readers and search engines as a fact: never a date still to come.
FUTURE_REVIEW_DATE = "The review date cannot be in the future."
MISSING_REFERENCES = (
    "Add a “References” block with at least one source before publishing this article."
)

# The log entry in a page's history when the scheduler finds an article it may not publish.
PUBLISH_REFUSED_ACTION = "blog.publish_refused"


def publishing_problems(
    *, author_id: int | None, reviewed_by_id: int | None, last_reviewed: dt.date | None, body
) -> dict[str, str]:
    """What stops an article with these values from being published, as field -> message
    (empty when it may be published). ``body`` is the article's StreamField value."""
    problems = {}
    if author_id is None:
        problems["author"] = MISSING_AUTHOR
    if reviewed_by_id is None:
        problems["reviewed_by"] = MISSING_REVIEWER
    if last_reviewed is None:
        problems["last_reviewed"] = MISSING_REVIEW_DATE
    elif last_reviewed > timezone.localdate():
        problems["last_reviewed"] = FUTURE_REVIEW_DATE
    if not has_references(body):
        problems["body"] = MISSING_REFERENCES
    return problems


def has_references(body) -> bool:
    """Whether the body holds a references block listing at least one source."""
    return any(
        block.block_type == "references" and len(block.value["items"]) > 0 for block in body or ()
    )
