"""A practitioner's own calendars in the admin: added, read again and removed by the
practitioner or whoever may change practitioners. The address and password go in once and
are never shown again: the page shows the server, the last good read and the last error.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from practice.single_line import SingleLineFields

from .. import access, tasks
from ..calendars import fetch
from ..calendars.selectors import calendar_source_list_for
from ..calendars.sync import calendar_source_create, calendar_source_delete
from ..models import CalendarSource, CalendarSourceKind, Practitioner

_FEED_PATH = re.compile(r"/calendar/[^/]+\.ics$")


class CalendarSourceForm(SingleLineFields, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of calendar",
        choices=CalendarSourceKind.choices,
        widget=forms.RadioSelect,
        initial=CalendarSourceKind.ICS,
    )
    label = forms.CharField(
        label="Name (for you)", max_length=100, required=False, help_text="For example, Personal."
    )
    address = forms.CharField(
        label="Address",
        max_length=2000,
        help_text="ICS: the calendar's secret or public address ending in .ics (Google: "
        "Settings → your calendar → Secret address in iCal format). CalDAV: the server's or "
        "the calendar's address.",
    )
    username = forms.CharField(label="CalDAV user name", max_length=200, required=False)
    password = forms.CharField(
        label="CalDAV app password",
        max_length=500,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=True),
        help_text="An app password made for this (iCloud, Fastmail, Nextcloud all offer "
        "them), not your main password. Stored encrypted, never shown again.",
    )
    calendar_name = forms.CharField(
        label="CalDAV calendar name",
        max_length=200,
        required=False,
        help_text="Only this one of your calendars; leave empty to read them all.",
    )
    own_email = forms.EmailField(
        label="Your address in this calendar",
        required=False,
        help_text="So that invitations you declined leave you free; your login's address "
        "is used as well.",
    )
    include_all_day = forms.BooleanField(label="All-day events keep patients out", required=False)
    unanswered_busy = forms.BooleanField(
        label="Invitations you have not answered keep patients out", required=False
    )

    def clean_address(self):
        address = self.cleaned_data["address"].strip()
        try:
            readable = fetch.http_address(address)
        except fetch.SourceError as error:
            raise ValidationError(str(error)) from None
        site = urlsplit(settings.SITE_URL).hostname or ""
        parts = urlsplit(readable)
        if parts.hostname == site and _FEED_PATH.search(parts.path):
            raise ValidationError(
                "This is the practice's own calendar feed: its appointments are already "
                "kept apart. Add your own calendar instead."
            )
        return address

    def clean(self):
        data = super().clean()
        if data.get("kind") == CalendarSourceKind.CALDAV:
            for name in ("username", "password"):
                if not data.get(name):
                    self.add_error(name, "A CalDAV calendar needs this.")
        return data


def _practitioner_for(request, pk: int) -> Practitioner:
    practitioner = get_object_or_404(Practitioner.objects.select_related("profile"), pk=pk)
    if not access.may_manage_calendars(request.user, practitioner):
        raise PermissionDenied
    return practitioner


def _queue_sync(source_id: int) -> None:
    transaction.on_commit(lambda: tasks.sync_calendar_source.enqueue(source_id=source_id))


def add(request, pk: int):
    practitioner = _practitioner_for(request, pk)
    form = CalendarSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            source = calendar_source_create(practitioner=practitioner, **form.cleaned_data)
            _queue_sync(source.pk)
        messages.success(request, "Calendar added. Its busy times are read within a few minutes.")
        return redirect("booking_practitioner:inspect", practitioner.pk)
    return render(
        request,
        "booking/staff/calendar_source_add.html",
        {"form": form, "practitioner": practitioner},
    )


def _source_for(request, pk: int, source_pk: int) -> CalendarSource:
    practitioner = _practitioner_for(request, pk)
    return get_object_or_404(calendar_source_list_for(practitioner=practitioner), pk=source_pk)


@require_POST
def remove(request, pk: int, source_pk: int):
    source = _source_for(request, pk, source_pk)
    calendar_source_delete(source=source)
    messages.success(request, "Calendar removed: the times it kept busy are free again.")
    return redirect("booking_practitioner:inspect", pk)


@require_POST
def read_now(request, pk: int, source_pk: int):
    source = _source_for(request, pk, source_pk)
    _queue_sync(source.pk)
    messages.success(request, "The calendar will be read again within a minute.")
    return redirect("booking_practitioner:inspect", pk)
