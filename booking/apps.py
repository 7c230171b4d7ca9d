from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking"

    def ready(self):
        from . import checks  # noqa: F401 (checks registers itself)
        from .groups import ensure_staff_groups
        from .waitlist import hooks as waitlist_hooks

        waitlist_hooks.connect()

        post_migrate.connect(ensure_staff_groups, sender=self, dispatch_uid="booking-staff-groups")
