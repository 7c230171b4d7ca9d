"""Forget cached site-wide data whenever what it shows may have changed.

One receiver for every such change forgets both caches that hold public content: the
header and footer (``site_chrome``) and whole pages (``page_cache``). Both are forgotten
at once and again when the change commits: signals fire inside the transaction, and a
page rendered in between from the rows as they were must not stay cached.

Wagtail's scheduled publishing (``manage.py publish_scheduled``) publishes through the
same ``page_published`` signal as the admin does.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import PracticeSettings, PractitionerProfile
from .page_cache import forget_pages
from .site_chrome import forget_site_chrome


def site_content_changed(**kwargs) -> None:
    forget_site_chrome()
    transaction.on_commit(forget_site_chrome)
    forget_pages(**kwargs)


def models_shown_on_pages() -> list:
    """Everything besides pages that public pages show or depend on."""
    from blog.models import Topic
    from booking.models import BookingPolicy, Practitioner, Service

    return [
        PracticeSettings,
        BookingPolicy,
        PractitionerProfile,
        # Who can be booked: the home page and the profiles show it.
        Practitioner,
        Topic,
        Service,
        get_image_model(),
        get_document_model(),
        Redirect,
        Site,
        PageViewRestriction,
    ]


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(site_content_changed, dispatch_uid=f"site-content-{id(signal)}")
    post_delete.connect(site_content_changed, sender=Page, dispatch_uid="site-content-page-del")
    for model in models_shown_on_pages():
        label = model._meta.label_lower
        post_save.connect(site_content_changed, sender=model, dispatch_uid=f"site-content-{label}")
        post_delete.connect(
            site_content_changed, sender=model, dispatch_uid=f"site-content-del-{label}"
        )
