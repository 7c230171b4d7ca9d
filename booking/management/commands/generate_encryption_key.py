"""Print a new key for INTAKE_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from booking.encryption import generate_key


class Command(BaseCommand):
    help = (
        "Print a new Fernet key for INTAKE_ENCRYPTION_KEYS. To rotate, put it first and keep "
        "the old keys after it, then run reencrypt_intakes."
    )

    def handle(self, *args, **options):
        self.stdout.write(generate_key())
