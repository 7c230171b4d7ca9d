from django.core.management.base import BaseCommand

from demo.loader import load_demo_content


class Command(BaseCommand):
    help = "Builds the demo practice: pages, articles, services, settings. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-appointments",
            action="store_true",
            help="Leave the schedule empty (no sample appointments for made-up patients).",
        )

    def handle(self, *args, without_appointments=False, **options):
        report = load_demo_content(sample_appointments=not without_appointments)
        if report.created:
            self.stdout.write(f"Demo content created: {len(report.created)} items.")
            for item in report.created:
                self.stdout.write(f"  + {item}", self.style.SUCCESS)
        else:
            self.stdout.write("Demo content already in place; nothing changed.")
