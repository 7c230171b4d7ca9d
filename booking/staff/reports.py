"""Which articles bring patients: bookings per source article, from the bookings alone."""

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render

from .. import selectors
from ..models import Appointment


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The period must end after it starts.")
        return cleaned


def bookings_by_article(*, start: dt.date, end: dt.date) -> list[dict]:
    """Bookings made in [start, end] (local dates), grouped by the article they came from."""
    tz = selectors.practice_zone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return list(
        Appointment.objects.filter(
            created_at__gte=since, created_at__lt=until, source_page__isnull=False
        )
        .values("source_page_id", "source_page__title", "source_page__url_path")
        .annotate(bookings=Count("pk"))
        .order_by("-bookings", "source_page__title")
    )


def article_report(request):
    if not request.user.has_perm("booking.view_appointment"):
        raise PermissionDenied
    today = dt.datetime.now(selectors.practice_zone()).date()
    form = PeriodForm(request.GET or {"start": today - dt.timedelta(days=90), "end": today})
    rows = []
    total = 0
    if form.is_valid():
        rows = bookings_by_article(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        total = sum(row["bookings"] for row in rows)
    return render(
        request, "booking/staff/article_report.html", {"form": form, "rows": rows, "total": total}
    )
