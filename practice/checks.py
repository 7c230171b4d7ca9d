"""System checks of the site's configuration."""

from django.conf import settings
from django.core import checks

PER_PROCESS = "django.core.cache.backends.locmem.LocMemCache"


@checks.register(checks.Tags.caches)
def cache_shared_by_every_process(app_configs=None, **kwargs):
    """With DEBUG off, no cache lives in one process: a page published, unpublished or
    changed by the task worker would stay stale in every other one."""
    if settings.DEBUG:
        return []
    return [
        checks.Error(
            f"The {alias!r} cache keeps its entries in one process.",
            hint="Set CACHE_URL to file: (the default), db: or redis://… (README, 'Settings').",
            id="practice.E001",
        )
        for alias, config in settings.CACHES.items()
        if config["BACKEND"] == PER_PROCESS
    ]
