import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"


class Command(BaseCommand):
    help = (
        "Makes sure the demo's admin account exists and prints how to log in. The password "
        "comes from DEMO_ADMIN_PASSWORD, or is generated once and kept in .demo-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port the demo is served on.")

    def handle(self, *args, port, **options):
        chosen = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        user, created = get_user_model().objects.get_or_create(
            username="admin",
            defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
        )
        password = chosen or self._saved_or_new_password()
        if created or (chosen and not user.check_password(chosen)):
            user.set_password(password)
            user.save(update_fields=["password"])
        elif not user.check_password(password):
            # Changed in the admin since: keep it, it is the owner's choice.
            password = "(changed in the admin; set DEMO_ADMIN_PASSWORD to reset it)"
        self.stdout.write(
            self.style.SUCCESS("Admin: ")
            + f"http://127.0.0.1:{port}/admin/  user: admin  password: {password}"
        )

    def _saved_or_new_password(self) -> str:
        if CREDENTIALS_FILE.exists():
            return CREDENTIALS_FILE.read_text().strip()
        password = secrets.token_urlsafe(12)
        CREDENTIALS_FILE.write_text(password + "\n")
        CREDENTIALS_FILE.chmod(0o600)
        return password
