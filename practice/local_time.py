"""How the practice writes its time zone for people: "Eastern Time", not "America/New_York".

Set in one place, from ``TIME_ZONE`` and ``LANGUAGE_CODE``; the names come from the Unicode
CLDR through Babel, so a practice in London reads "British Time".
"""

from functools import cache

from babel import Locale
from babel.dates import get_timezone, get_timezone_name
from django.conf import settings


@cache
def _label(zone_key: str, language_code: str) -> str:
    locale = Locale.parse(language_code.replace("-", "_"))
    return get_timezone_name(
        get_timezone(zone_key), width="long", locale=locale, zone_variant="generic"
    )


def zone_label() -> str:
    """The practice's time zone as its patients name it (its generic, not seasonal, name)."""
    return _label(settings.TIME_ZONE, settings.LANGUAGE_CODE)
