"""Educational articles on back and neck pain, their index and their topics."""

from __future__ import annotations

import logging
import math
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.db.models import Count, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from practice import page_cache, structured_data
from practice.blocks import BaseStreamBlock, faq_items, heading_anchor
from practice.page_queries import without_view_restrictions

from .feeds import ArticleFeed
from .forms import ArticlePageForm
from .publishing import PUBLISH_REFUSED_ACTION, publishing_problems

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 200
ARTICLES_PER_PAGE = 10
# A page number as the pagination links write it: no sign, no leading zero, no spaces.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


class TopicQuerySet(models.QuerySet):
    """The queries for topics."""

    def in_use(self) -> TopicQuerySet:
        """Topics that at least one published article carries, for the index's filter."""
        return self.filter(articles__in=ArticlePage.objects.published()).distinct().order_by("name")


class Topic(models.Model):
    """A subject such as neck pain or posture; articles carry one or more."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=300)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleIndexPage(RoutablePageMixin, Page):
    """Lists articles newest first, filtered by topic or a search, and serves the feed."""

    intro = models.TextField(max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["practice.HomePage"]
    subpage_types = ["blog.ArticlePage"]
    max_count = 1

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    def route(self, request, path_components):
        # Fetch an article with everything its page shows in one go, rather than
        # Wagtail's child lookup followed by a specific-page query and lazy loads.
        if len(path_components) == 1:
            article = (
                ArticlePage.objects.live()
                .child_of(self)
                .select_related("hero_image", "author__photo", "reviewed_by__photo")
                .prefetch_related("hero_image__renditions", "author__photo__renditions")
                .filter(slug=path_components[0])
                .first()
            )
            if article is not None:
                article._cached_parent_obj = self
                return article.route(request, [])
        return super().route(request, path_components)

    def get_cached_paths(self):
        # The addresses a front cache keeps of this page (wagtail.contrib.frontend_cache).
        return ["/", "feed/"]

    @path("")
    def article_list(self, request):
        # Only real pages exist: an unknown topic or a page number that is not one of the
        # list's is a 404, never a copy of the first page.
        topics = list(Topic.objects.in_use())
        asked_topic = request.GET.get("topic", "")
        topic = next((t for t in topics if t.slug == asked_topic), None)
        if asked_topic and topic is None:
            raise Http404("No articles on that topic.")
        query = search_terms(request.GET.get("q", ""))
        articles = ArticlePage.objects.for_index(index=self, topic=topic, query=query)

        paginator = Paginator(articles, ARTICLES_PER_PAGE)
        number = request.GET.get("page") or "1"
        if not PAGE_NUMBER.fullmatch(number):
            raise Http404("No such page of articles.")
        try:
            page_obj = paginator.page(int(number))
        except EmptyPage:
            raise Http404("No such page of articles.") from None
        if not query:
            # Kept by the page cache under this one spelling of the address only.
            page_cache.allow_query(request, topic=asked_topic, page=number if number != "1" else "")

        return self.render(
            request,
            context_overrides={
                "topics": topics,
                "current_topic": topic,
                "query": query,
                "page_obj": page_obj,
                "articles": page_obj.object_list,
            },
        )

    @path("feed/", name="feed")
    def feed(self, request):
        return ArticleFeed(index=self)(request)

    def published_articles(self) -> ArticlePageQuerySet:
        """The published articles under this index, newest first."""
        return ArticlePage.objects.published().descendant_of(self)

    def get_structured_data(self, request, practice) -> list[dict]:
        return [structured_data.breadcrumbs(request, self)]


class ArticlePageQuerySet(PageQuerySet):
    """The queries for lists of articles; each runs a bounded number of SQL queries."""

    def published(self) -> ArticlePageQuerySet:
        """Live articles a visitor may read (none behind a view restriction), newest first."""
        return without_view_restrictions(self.live()).order_by("-first_published_at", "-pk")

    def for_listing(self) -> ArticlePageQuerySet:
        """What a list of articles shows: hero image (with its renditions, in one query for
        the list, as Wagtail's ``prefetch_renditions`` does), author and topics."""
        return self.select_related("hero_image", "author").prefetch_related(
            "hero_image__renditions", Prefetch("topics", queryset=Topic.objects.order_by("name"))
        )

    def for_index(
        self, *, index: ArticleIndexPage, topic: Topic | None = None, query: str = ""
    ) -> ArticlePageQuerySet:
        """Articles under ``index``, newest first, optionally of one topic or matching a search."""
        articles = self.published().descendant_of(index)
        if topic is not None:
            articles = articles.filter(topics=topic)
        if query:
            # Wagtail's search cannot take the subquery that hides restricted pages,
            # so search the live articles and keep the matches that survive the filter.
            matches = self.model.objects.live().descendant_of(index).search(query)
            articles = articles.filter(pk__in=[page.pk for page in matches])
        return articles.for_listing()

    def related_to(self, article: ArticlePage) -> ArticlePageQuerySet:
        """Other published articles sharing the most topics with ``article``, newest first
        among equals."""
        shared_topics = ArticlePage.topics.through.objects.filter(articlepage_id=article.pk).values(
            "topic_id"
        )
        return (
            self.published()
            .exclude(pk=article.pk)
            .filter(topics__in=Subquery(shared_topics))
            .annotate(shared=Count("topics", filter=Q(topics__in=Subquery(shared_topics))))
            .order_by("-shared", "-first_published_at")
            .select_related("hero_image", "author")
            .prefetch_related("hero_image__renditions")
        )


class ArticlePage(Page):
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences shown in lists and used as the description in search.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        "practice.PractitionerProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When the content was last checked for accuracy."
    )
    reviewed_by = models.ForeignKey(
        "practice.PractitionerProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="articles")
    body = StreamField(BaseStreamBlock())
    word_count = models.PositiveIntegerField(default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("reviewed_by"), FieldPanel("last_reviewed")],
            heading="Authorship and review",
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]

    objects = PageManager.from_queryset(ArticlePageQuerySet)()
    base_form_class = ArticlePageForm

    parent_page_types = ["blog.ArticleIndexPage"]
    subpage_types: list[str] = []
    og_type = "article"

    def publishing_problems(self) -> dict[str, str]:
        """What stops this article from being published, as field -> message."""
        return publishing_problems(
            author_id=self.author_id,
            reviewed_by_id=self.reviewed_by_id,
            last_reviewed=self.last_reviewed,
            body=self.body,
        )

    def publish(self, revision, *args, **kwargs):
        """Publishes (or schedules) ``revision`` only if it has what a published article needs.

        Every publish Wagtail makes through the page passes here: the editor, scheduled
        publishing (``publish_scheduled``), workflows, bulk actions and scripts. A refused
        revision loses its place in the schedule, so the scheduler does not try it again;
        the scheduler itself gets a warning and a line in the page's history instead of an
        error, so one article cannot stop the others it has to publish."""
        problems = revision.as_object().publishing_problems()
        if not problems:
            return super().publish(revision, *args, **kwargs)
        if revision.approved_go_live_at is not None:
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
        if kwargs.get("log_action") == "wagtail.publish.scheduled":
            logger.warning("Not publishing %r: %s", self.title, " ".join(problems.values()))
            log(instance=self, action=PUBLISH_REFUSED_ACTION, revision=revision, data=problems)
            return None
        raise ValidationError(problems)

    def save(self, *args, clean=True, **kwargs):
        # Wagtail validates a live page in full when it saves it (Page.save): this is where a
        # publish that skips ArticlePage.publish (the editor's own publish action, the admin
        # API) makes the article live, so the same rule holds there too.
        if clean and self.live and (problems := self.publishing_problems()):
            raise ValidationError(problems)
        self.word_count = count_words(self.body)
        super().save(*args, clean=clean, **kwargs)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @cached_property
    def table_of_contents(self) -> list[tuple[str, str]]:
        return [
            (heading_anchor(block.value), block.value)
            for block in self.body
            if block.block_type == "heading"
        ]

    @cached_property
    def faq_items(self) -> list:
        return faq_items(self.body)

    @cached_property
    def reference_blocks(self) -> list:
        """The body's trailing references blocks, which the page shows after the "when to see
        a doctor" box and the disclaimer line (templates/blog/article_page.html)."""
        blocks = list(self.body)
        end = len(blocks)
        while end and blocks[end - 1].block_type == "references":
            end -= 1
        return blocks[end:]

    @cached_property
    def body_before_references(self) -> list:
        return list(self.body)[: len(self.body) - len(self.reference_blocks)]

    @property
    def ends_with_booking(self) -> bool:
        """Whether the text ends on its own call to book (then the page adds none)."""
        blocks = self.body_before_references
        return bool(blocks) and blocks[-1].block_type == "booking_cta"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Before rendering: the same query loads this article's own topics, which its
        # structured data (in the page's head) names.
        context["related_articles"] = self.related_articles(limit=3)
        return context

    def related_articles(self, *, limit: int = 3) -> list[ArticlePage]:
        """Up to ``limit`` articles sharing the most topics with this one. Also loads this
        article's own topics, in the same query as the related articles' topics."""
        if self.pk is None:
            # The preview of an article never saved: its topics exist only in the editor's
            # form, and the database cannot relate (or prefetch for) a row it does not have.
            return []
        related = list(ArticlePage.objects.related_to(self)[:limit])
        prefetch_related_objects(
            [self, *related], Prefetch("topics", queryset=Topic.objects.order_by("name"))
        )
        return related

    def get_structured_data(self, request, practice) -> list[dict]:
        data = [
            structured_data.article(request, self, practice),
            structured_data.breadcrumbs(request, self),
        ]
        if self.faq_items:
            data.append(structured_data.faq_page(request, self, self.faq_items))
        return data


def search_terms(raw: str) -> str:
    """The visitor's search as the search backend can take it, at most 200 characters.

    Double quotes and control characters become spaces: the SQLite backend wraps each word
    in double quotes without escaping one inside it, and a NUL cuts its full-text query
    short; either way the query is left unterminated and the search fails. Words never
    contain them anyway, so the results are the same.
    """
    cleaned = "".join(" " if ch == '"' or unicodedata.category(ch) == "Cc" else ch for ch in raw)
    return cleaned.strip()[:200]


def count_words(body) -> int:
    """Words a reader reads in a StreamField body (references and call-outs to book left out)."""
    words = 0
    for block in body:
        if block.block_type in NOT_READ:
            continue
        for text in block.block.get_searchable_content(block.value):
            words += len(strip_tags(str(text)).split())
    return words


NOT_READ = {"references", "practitioner", "booking_cta"}
