from django.core.management.base import BaseCommand
from wagtail.models import Site

from practice.site_address import site_follow_site_url


class Command(BaseCommand):
    help = "Point the default Wagtail Site at SITE_URL's host and port (run after each deploy)."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stdout.write("No default site yet; nothing to do.")
            return
        changed = site_follow_site_url(site)
        self.stdout.write(f"Site address: {site.root_url}" + ("" if changed else " (unchanged)"))
