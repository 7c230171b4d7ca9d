"""Forget cached site-wide data whenever what it shows may have changed."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import PracticeSettings
from .site_chrome import forget_site_chrome


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_chrome, dispatch_uid=f"forget-site-chrome-{id(signal)}")
    post_delete.connect(forget_site_chrome, sender=Page, dispatch_uid="forget-chrome-page-del")
    post_save.connect(
        forget_site_chrome, sender=PracticeSettings, dispatch_uid="forget-chrome-settings"
    )
