from django.core.management.base import BaseCommand

from practice.demo.loader import load_demo_content


class Command(BaseCommand):
    help = "Builds the demo practice: pages, articles, services, settings. Safe to run again."

    def handle(self, *args, **options):
        report = load_demo_content()
        if report.created:
            self.stdout.write(f"Demo content created: {len(report.created)} items.")
            for item in report.created:
                self.stdout.write(f"  + {item}", self.style.SUCCESS)
        else:
            self.stdout.write("Demo content already in place; nothing changed.")
