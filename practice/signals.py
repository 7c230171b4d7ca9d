"""One receiver for every change that public pages may show: the page cache is emptied, at
once and again when the change commits (signals fire inside the transaction, and a page
rendered in between from the rows as they were must not stay kept).

Where nginx keeps pages for a minute (``WAGTAILFRONTENDCACHE``), Wagtail purges a published
or unpublished page's own addresses; the pages that list it (its parents, the feed, the
sitemap) are purged here. Both purges run in the task worker, never in the editor's request.

Wagtail's scheduled publishing (``manage.py publish_scheduled``, run every minute by the task
worker) publishes through the same ``page_published`` signal as the admin does.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import PracticeSettings, PractitionerProfile
from .page_cache import forget_pages


def site_content_changed(**kwargs) -> None:
    forget_pages()
    transaction.on_commit(forget_pages)


def page_listings_changed(instance, **kwargs) -> None:
    """The parents of a page published, unpublished or moved (the index's feed with it)
    and the sitemap."""
    site_content_changed()
    if not settings.WAGTAILFRONTENDCACHE:
        return
    batch = PurgeBatch()
    batch.add_pages(instance.get_ancestors().live().filter(depth__gt=1).specific())
    batch.add_url(f"{settings.SITE_URL}{reverse('sitemap')}")
    transaction.on_commit(batch.purge)


def models_shown_on_pages() -> list:
    """What besides pages every public page may show or depend on, of this app and Wagtail's.
    The other apps name theirs with ``shown_on_pages`` in their ``ready()``."""
    return [
        PracticeSettings,
        PractitionerProfile,
        get_image_model(),
        get_document_model(),
        Redirect,
        Site,
        PageViewRestriction,
    ]


def shown_on_pages(*models) -> None:
    """Empty the page cache whenever one of ``models`` is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(site_content_changed, sender=model, dispatch_uid=f"site-content-{label}")
        post_delete.connect(
            site_content_changed, sender=model, dispatch_uid=f"site-content-del-{label}"
        )


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_listings_changed, dispatch_uid=f"page-listings-{id(signal)}")
    post_delete.connect(site_content_changed, sender=Page, dispatch_uid="site-content-page-del")
    shown_on_pages(*models_shown_on_pages())
