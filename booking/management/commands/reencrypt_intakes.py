"""Rewrite every encrypted answer and note with the newest key, after a key rotation."""

from django.core.management.base import BaseCommand, CommandError

from booking.key_rotation import reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt intake answers and staff notes with the first key in "
        "INTAKE_ENCRYPTION_KEYS. Safe to run again; rows already on the newest key are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = reencrypt_all(batch_size=batch_size)
        for label, (rewritten, already) in report.items():
            self.stdout.write(
                f"{label}: {rewritten} re-encrypted, {already} already on the newest key"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Done. Older keys can be removed once every server runs with this key list."
            )
        )
