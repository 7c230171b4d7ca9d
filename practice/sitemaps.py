"""The sitemap: Wagtail's pages, and the practitioners' profiles beside them."""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from .models import PractitionerProfile
from .structured_data import site_root_url


class PractitionerSitemap(PageSitemap):
    """A Wagtail sitemap class only so that it is given the request: addresses start with
    the site's configured root, as every other address the site publishes does."""

    def items(self):
        return PractitionerProfile.objects.order_by("name")

    def location(self, obj):
        return site_root_url(self.request) + reverse("practitioner_profile", args=[obj.slug])

    def _urls(self, page, protocol, domain):
        # Full addresses from the site's root, as Wagtail's own sitemap gives them; Django's
        # would start them with the request's Host.
        return [
            {"item": profile, "location": self.location(profile)}
            for profile in self.paginator.page(page).object_list
        ]


SITEMAPS = {"pages": PageSitemap, "practitioners": PractitionerSitemap}
