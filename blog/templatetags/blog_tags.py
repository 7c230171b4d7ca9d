"""Template tags that put the blog's articles on other apps' pages."""

from django import template

from blog.models import ArticlePage

register = template.Library()


@register.simple_tag
def latest_articles(limit: int = 3) -> list[ArticlePage]:
    """The newest published articles, with what their cards show (``{% latest_articles as
    articles %}``)."""
    return list(ArticlePage.objects.published().for_listing()[:limit])
