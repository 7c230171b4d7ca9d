"""The practice's format modules (Django's ``FORMAT_MODULE_PATH``), one folder a locale."""

from importlib import import_module


def picker_formats(language_code: str) -> tuple[str, str]:
    """What Wagtail's date-time and time pickers write for a locale: the first of its
    input formats here, for ``WAGTAIL_DATETIME_FORMAT`` and ``WAGTAIL_TIME_FORMAT``.

    Read in settings, before Django can look formats up itself; found as Django finds
    them (``en_GB``, then ``en``), so the locale stays the one place to change."""
    locale = language_code.replace("-", "_")
    language, _, country = locale.partition("_")
    for name in filter(None, (f"{language}_{country.upper()}" if country else "", language)):
        try:
            module = import_module(f"{__name__}.{name}.formats")
        except ModuleNotFoundError:
            continue
        return module.DATETIME_INPUT_FORMATS[0], module.TIME_INPUT_FORMATS[0]
    raise LookupError(f"No format module in practice/formats/ for {language_code!r}.")
