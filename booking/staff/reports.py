"""Which articles bring patients: bookings per source article, from the bookings alone."""

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from .. import selectors


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The period must end after it starts.")
        return cleaned


def article_report(request):
    if not request.user.has_perm("booking.view_appointment"):
        raise PermissionDenied
    today = dt.datetime.now(timezone.get_default_timezone()).date()
    form = PeriodForm(request.GET or {"start": today - dt.timedelta(days=90), "end": today})
    rows = []
    if form.is_valid():
        rows = selectors.appointment_count_by_article(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    context = {
        "form": form,
        "rows": rows,
        "total": sum(row["bookings"] for row in rows),
        "cancelled_total": sum(row["cancelled"] for row in rows),
    }
    return render(request, "booking/staff/article_report.html", context)
