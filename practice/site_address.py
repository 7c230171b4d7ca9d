"""The site's one public address: ``SITE_URL``. The Wagtail Site record follows it, so pages,
the feed, the sitemap and structured data (built by Wagtail from the Site) name the same
address as the emails and calendar files (built from ``SITE_URL``)."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def site_follow_site_url(site: Site) -> bool:
    """Gives ``site`` the host and port of ``SITE_URL``; whether anything changed."""
    address = urlsplit(settings.SITE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True
