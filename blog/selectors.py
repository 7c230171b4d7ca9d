"""Read-only queries for articles; each returns a bounded number of SQL queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects

from practice.page_queries import without_view_restrictions

if TYPE_CHECKING:
    from .models import ArticleIndexPage, ArticlePage, Topic


def _listing(queryset: QuerySet) -> QuerySet:
    """What a list of articles shows: hero image, author and topics, fetched up front."""
    from .models import Topic

    return queryset.select_related("hero_image", "author").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def article_list_published() -> QuerySet[ArticlePage]:
    from .models import ArticlePage

    return without_view_restrictions(ArticlePage.objects.live()).order_by(
        "-first_published_at", "-pk"
    )


def article_list_latest(*, limit: int = 3) -> list[ArticlePage]:
    return list(_listing(article_list_published())[:limit])


def article_list_for_index(
    *, index: ArticleIndexPage, topic: Topic | None = None, query: str = ""
) -> QuerySet[ArticlePage]:
    """Articles under ``index``, newest first, optionally of one topic or matching a search."""
    articles = article_list_published().descendant_of(index)
    if topic is not None:
        articles = articles.filter(topics=topic)
    if query:
        from .models import ArticlePage

        # Wagtail's search cannot take the subquery that hides restricted pages,
        # so search the live articles and keep the matches that survive the filter.
        matches = ArticlePage.objects.live().descendant_of(index).search(query)
        articles = articles.filter(pk__in=[page.pk for page in matches])
    return _listing(articles)


def article_get_for_page(*, index: ArticleIndexPage, slug: str) -> ArticlePage | None:
    """A live article under ``index`` with its authorship and images loaded (not topics:
    ``article_list_related`` fetches those together with the related articles')."""
    from .models import ArticlePage

    return (
        ArticlePage.objects.live()
        .child_of(index)
        .select_related("hero_image", "author__photo", "reviewed_by__photo")
        .filter(slug=slug)
        .first()
    )


def article_list_related(*, article: ArticlePage, limit: int = 3) -> list[ArticlePage]:
    """Other articles sharing the most topics with ``article``, newest first among equals.

    Also loads ``article``'s own topics, in the same query as the related articles' topics.
    """
    from .models import ArticlePage, Topic

    if article.pk is None:
        # The preview of an article never saved: its topics exist only in the editor's
        # form, and the database cannot relate (or prefetch for) a row it does not have.
        return []
    shared_topics = ArticlePage.topics.through.objects.filter(articlepage_id=article.pk).values(
        "topic_id"
    )
    related = list(
        article_list_published()
        .exclude(pk=article.pk)
        .filter(topics__in=Subquery(shared_topics))
        .annotate(shared=Count("topics", filter=Q(topics__in=Subquery(shared_topics))))
        .order_by("-shared", "-first_published_at")
        .select_related("hero_image", "author")[:limit]
    )
    prefetch_related_objects(
        [article, *related], Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )
    return related


def topic_list_in_use() -> list[Topic]:
    """Topics that at least one published article carries, for the index's filter."""
    from .models import Topic

    return list(
        Topic.objects.filter(articles__in=article_list_published()).distinct().order_by("name")
    )
