import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from booking.staff.intake_views import site_history_urlpatterns
from booking.urls import feed_urlpatterns

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    *site_history_urlpatterns,  # before Wagtail's own: without the health-answer views
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("brand/<slug:version>.css", views.brand_stylesheet, name="brand_stylesheet"),
    path(
        "brand/<slug:version>/admin.css",
        views.brand_stylesheet,
        {"admin": True},
        name="brand_admin_stylesheet",
    ),
    path("practitioners/<slug:slug>/", views.practitioner_profile, name="practitioner_profile"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("book/", include("booking.urls")),
    path("my/", include("booking.patients.urls")),
    *feed_urlpatterns,
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [
    # Uploaded images, on a developer's machine and in the demo (views.media); in
    # production nginx serves /media/ and this address is never reached.
    re_path(r"^{}(?P<path>.*)$".format(re.escape(settings.MEDIA_URL.lstrip("/"))), views.media),
    path("", include(wagtail_urls)),
]
