from django.core.management.base import BaseCommand

from practice import front_cache


class Command(BaseCommand):
    help = (
        "Tell nginx's page cache to forget every page (run after each deploy, so no page "
        "the previous release rendered is served)."
    )

    def handle(self, *args, **options):
        if not front_cache.configured():
            self.stdout.write("FRONT_CACHE_PURGE_URL is not set: there is no front cache to purge.")
            return
        addresses = front_cache.purge_site_now()
        self.stdout.write(f"Told the front cache to forget {addresses} addresses.")
