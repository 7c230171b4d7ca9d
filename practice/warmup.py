"""What an app process would otherwise load on its first requests, loaded once before
gunicorn forks (practice/wsgi.py, under ``--preload``).

A new app process (after a deploy, a restart, or gunicorn replacing one) compiled each
template the first time a page used it, built the URL names' table on its first link,
compiled the email address check on the first form sent and read the phone-number tables
on the first number typed: its first booking steps took two to six times as long as the
next ones, and under load other patients queued behind them. Done in the master, every
process starts with them, and shares their memory with the others.

Nothing here touches the database or anyone's data: templates are compiled, not
rendered, and the phone number read is the library's own example.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import phonenumbers
from django.apps import apps
from django.conf import settings
from django.core.validators import validate_email
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import URLResolver, get_resolver
from django.utils import formats

# The apps whose templates make the public site and the booking forms. Wagtail's admin
# templates are left to load when an editor first opens a page: there are over a thousand,
# and editors are few.
SITE_APPS = ("practice", "blog", "booking", "crispy_forms", "crispy_bootstrap5")
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def _compile_folder(engine: DjangoTemplates, folder: Path) -> int:
    names = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )
    for name in names:
        # Looked up by name, as a page's {% extends %} or {% include %} asks for it, so the
        # cached loader keeps it under that key.
        engine.get_template(name)
    return len(names)


def templates_compile() -> int:
    """Compiles the site's templates, and the form widgets' when forms render with an
    engine of their own, into their cached loaders; returns how many. With a loader that
    does not cache (``DEBUG``), it only checks that they compile."""
    site = engines["django"]
    folders = [Path(folder) for folder in site.engine.dirs]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.label in SITE_APPS
    ]
    compiled = sum(_compile_folder(site, folder) for folder in folders if folder.is_dir())
    forms = getattr(get_default_renderer(), "engine", None)
    if isinstance(forms, DjangoTemplates) and forms is not site:
        # Django's own renderer: its engine reads django/forms/templates.
        compiled += sum(
            _compile_folder(forms, Path(folder))
            for folder in forms.engine.dirs
            if Path(folder).is_dir()
        )
    return compiled


def phone_tables_load() -> None:
    """Reads the practice country's phone-number tables, which ``phonenumbers`` loads on
    first use."""
    from booking.phone import InvalidPhone, phone_display, phone_normalise

    example = phonenumbers.example_number(settings.PRACTICE_COUNTRY)
    if example is None:
        return
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    with contextlib.suppress(InvalidPhone):  # read either way; never a reason not to start
        phone_display(phone_normalise(national))


def url_names_index(resolver: URLResolver | None = None) -> None:
    """Builds every URLconf's table of names, which ``reverse()`` (every link on a page)
    otherwise builds on first use, one URLconf at a time."""
    resolver = resolver or get_resolver()
    resolver.reverse_dict  # noqa: B018 (built on first access)
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            url_names_index(pattern)


def warm() -> int:
    """Everything above, and the email check's expressions and the locale's formats;
    returns the number of templates compiled."""
    compiled = templates_compile()
    url_names_index()
    phone_tables_load()
    validate_email("someone@example.com")  # compiles its expressions (lazily made)
    formats.get_format("DATE_INPUT_FORMATS")
    return compiled
