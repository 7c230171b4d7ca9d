"""A practitioner's week, edited as a week: a row a day (from, until, and a break), in
place of one panel per range of hours. Saving replaces the stored ranges only where a
day changed, so the free times (and the waiting list's offers) follow at once."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from practice.local_time import clock, zone_label

from ..models import Practitioner, WorkingHours
from .words import DAY_NAMES


def _time_field(label: str) -> forms.TimeField:
    # The browser's own time field: it sends "14:30" whatever the locale.
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


PARTS = {
    "opens": "From",
    "closes": "Until",
    "break_from": "Break from",
    "break_until": "Break until",
}


class WeekForm(forms.Form):
    """Seven rows; a day left empty is a day off, a break left empty is none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, name in enumerate(DAY_NAMES):
            for part, label in PARTS.items():
                self.fields[f"{day}_{part}"] = _time_field(f"{name}: {label.lower()}")

    def rows(self):
        """(day name, its four bound fields) for each day of the week."""
        return [
            (name, [self[f"{day}_{part}"] for part in PARTS]) for day, name in enumerate(DAY_NAMES)
        ]

    def clean(self):
        data = super().clean()
        for day in range(7):
            self._check_day(day, *(data.get(f"{day}_{part}") for part in PARTS))
        return data

    def _check_day(self, day, opens, closes, break_from, break_until) -> None:
        key = f"{day}_%s"
        if self._hours_hold(key, opens, closes):
            self._check_break(key, opens, closes, break_from, break_until)

    def _hours_hold(self, key, opens, closes) -> bool:
        """Whether the day's hours make sense (both or neither, the end after the start);
        the error goes on the field at fault if not."""
        if (opens is None) != (closes is None):
            missing = "closes" if opens else "opens"
            self.add_error(key % missing, "Give both times, or neither for a day off.")
            return False
        if opens is not None and closes <= opens:
            self.add_error(key % "closes", "The day must end after it starts.")
            return False
        return True

    def _check_break(self, key, opens, closes, break_from, break_until) -> None:
        """The break: both ends or neither, on a working day, ending after it starts and
        inside the day's hours."""
        if (break_from is None) != (break_until is None):
            missing = "break_until" if break_from else "break_from"
            self.add_error(key % missing, "Give both ends of the break, or neither.")
            return
        if break_from is None:
            return
        if opens is None:
            self.add_error(key % "break_from", "A day off has no break.")
        elif break_until <= break_from:
            self.add_error(key % "break_until", "The break must end after it starts.")
        elif not opens < break_from or not break_until < closes:
            self.add_error(
                key % "break_from",
                f"The break must fall inside the day ({clock(opens)} to {clock(closes)}).",
            )

    def ranges(self) -> set[tuple[int, dt.time, dt.time]]:
        """The week as (weekday, start, end) ranges: one a day, or two around its break."""
        data, week = self.cleaned_data, set()
        for day in range(7):
            opens, closes, break_from, break_until = (data[f"{day}_{part}"] for part in PARTS)
            if opens is None:
                continue
            if break_from is None:
                week.add((day, opens, closes))
            else:
                week |= {(day, opens, break_from), (day, break_until, closes)}
        return week


def week_initial(ranges) -> tuple[dict, list[str]]:
    """The form's values for stored ``ranges``, and the days whose second and later breaks
    it cannot show (kept as the whole day's first break only, if saved)."""
    by_day: dict[int, list] = {}
    for r in sorted(ranges, key=lambda r: (r.weekday, r.start_time)):
        by_day.setdefault(r.weekday, []).append(r)
    initial, squeezed = {}, []
    for day, rows in by_day.items():
        initial[f"{day}_opens"], initial[f"{day}_closes"] = rows[0].start_time, rows[-1].end_time
        if len(rows) > 1:
            initial[f"{day}_break_from"] = rows[0].end_time
            initial[f"{day}_break_until"] = rows[1].start_time
        if len(rows) > 2:
            squeezed.append(DAY_NAMES[day])
    return initial, squeezed


@transaction.atomic
def practitioner_week_set(*, practitioner: Practitioner, ranges) -> bool:
    """Replaces the practitioner's weekly hours with ``ranges``; False when nothing changed."""
    stored = list(practitioner.working_hours.all())
    now = {(h.weekday, h.start_time, h.end_time): h for h in stored}
    if set(now) == set(ranges):
        return False
    for key, hours in now.items():
        if key not in ranges:
            hours.delete()
    for weekday, start, end in sorted(set(ranges) - set(now)):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=weekday, start_time=start, end_time=end
        )
    return True


def edit_week(request, pk):
    if not request.user.has_perm("booking.change_practitioner"):
        raise PermissionDenied
    practitioner = get_object_or_404(Practitioner.objects.select_related("profile"), pk=pk)
    initial, squeezed = week_initial(practitioner.working_hours.all())
    form = WeekForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = practitioner_week_set(practitioner=practitioner, ranges=form.ranges())
        messages.success(
            request,
            f"{practitioner.name}'s week is saved." if changed else "Nothing changed.",
        )
        return redirect("booking_practitioner:inspect", practitioner.pk)
    return render(
        request,
        "booking/staff/practitioner_week.html",
        {"form": form, "practitioner": practitioner, "squeezed": squeezed, "zone": zone_label()},
    )
