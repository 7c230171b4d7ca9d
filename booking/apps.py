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
        self._shown_on_pages()

        post_migrate.connect(ensure_staff_groups, sender=self, dispatch_uid="booking-staff-groups")

    @staticmethod
    def _shown_on_pages():
        from practice.signals import shown_on_pages

        from .models import BookingPolicy, Practitioner, Service

        # Who can be booked, for what and on what terms: the home page, the profiles and the
        # articles' calls to book show it.
        shown_on_pages(BookingPolicy, Practitioner, Service)
