import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from booking.groups import FRONT_DESK, PRACTITIONER
from booking.models import Practitioner

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"

# username, what they are, their group, the practitioner profile they are
DEMO_USERS = [
    ("admin", "administrator (sees everything)", None, None),
    ("frontdesk", "front desk (schedule and contact details, no intake answers)", FRONT_DESK, None),
    (
        "mei",
        "practitioner Mei Lin Harper (articles, own patients' intakes)",
        PRACTITIONER,
        "mei-lin-harper",
    ),
]


class Command(BaseCommand):
    help = (
        "Makes sure the demo's users exist (admin, frontdesk, mei) and prints how to log in. "
        "Passwords: DEMO_ADMIN_PASSWORD for admin if set; otherwise generated once and kept "
        "in .demo-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port the demo is served on.")

    def handle(self, *args, port, **options):
        saved = self._saved_passwords()
        lines = []
        for username, role, group_name, profile_slug in DEMO_USERS:
            chosen = os.environ.get("DEMO_ADMIN_PASSWORD", "") if username == "admin" else ""
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": True,
                    "is_superuser": group_name is None,
                },
            )
            password = self._password(user, created, chosen=chosen, saved=saved)
            self._give_role(user, created, group_name=group_name, profile_slug=profile_slug)
            lines.append(f"  user: {username:<10} password: {password}   {role}")
        self._save_passwords(saved)
        self.stdout.write(self.style.SUCCESS("Admin: ") + f"http://127.0.0.1:{port}/admin/")
        for line in lines:
            self.stdout.write(line)

    def _password(self, user, created: bool, *, chosen: str, saved: dict[str, str]) -> str:
        """The user's password, set if the user is new or admin's was chosen anew, and what
        to print for it: the one chosen, else the one kept in ``saved`` (a new one is kept
        there)."""
        password = chosen or saved.get(user.username) or secrets.token_urlsafe(12)
        if not chosen:
            saved[user.username] = password
        if created or (chosen and not user.check_password(chosen)):
            user.set_password(password)
            user.save(update_fields=["password"])
        elif not user.check_password(password):
            # Changed in the admin since: keep it, it is the owner's choice.
            password = "(changed in the admin; set DEMO_ADMIN_PASSWORD to reset admin's)"
        return password

    def _give_role(self, user, created: bool, *, group_name: str | None, profile_slug: str | None):
        """A new user joins their group; a practitioner's profile with no user yet gets them."""
        if created and group_name:
            user.groups.add(Group.objects.get(name=group_name))
        if profile_slug:
            Practitioner.objects.filter(profile__slug=profile_slug, user__isnull=True).update(
                user=user
            )

    def _saved_passwords(self) -> dict[str, str]:
        if not CREDENTIALS_FILE.exists():
            return {}
        saved = {}
        for line in CREDENTIALS_FILE.read_text().splitlines():
            name, _, password = line.strip().partition(" ")
            if name and not password:  # the older, admin-only format
                name, password = "admin", name
            if name:
                saved[name] = password
        return saved

    def _save_passwords(self, saved: dict[str, str]) -> None:
        CREDENTIALS_FILE.write_text("".join(f"{name} {pw}\n" for name, pw in saved.items()))
        CREDENTIALS_FILE.chmod(0o600)
