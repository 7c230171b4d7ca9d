"""The RSS feed of published articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, *, index):
        super().__init__()
        self.index = index

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index.title

    def _address(self, page) -> str:
        """A page's address on ``SITE_URL``, whatever Host header the request came with."""
        _site_id, _root, path = page.get_url_parts(self.request) or (None, None, "/")
        return settings.SITE_URL + path

    def link(self):
        return self._address(self.index)

    def feed_url(self):
        # The feed's self link (<atom:link rel="self">): Django would build it from the
        # request's Host header, port included.
        return settings.SITE_URL + self.request.path

    def description(self):
        return self.index.intro or self.index.title

    def items(self):
        return self.index.published_articles().select_related("author").prefetch_related("topics")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return self._address(item)

    def item_guid(self, item):
        return self._address(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author.display_name if item.author else None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def get_object(self, request, *args, **kwargs):
        return None
