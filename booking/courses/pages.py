"""What the course pages do, shared by the patient's (booking/views/course.py) and the
staff's (booking/staff/course.py): the request form, its preview, and the confirm.

No JavaScript: the form is a GET (its answers are the preview's address), the preview a
POST of one radio choice a row. A confirm that finds dates taken since the preview shows
the preview again with just those rows, in their state now.
"""

from __future__ import annotations

import uuid

from django.conf import settings

from ..contracts import BookingError
from .forms import CourseRequestForm, posted_choices, posted_key, posted_numbers
from .plan import INTERVALS
from .present import booked_summary, preview_rows
from .selectors import course_preview, course_service_for
from .services import CourseOutcome, course_book


def request_context(request, *, appointment, now, by_staff: bool) -> dict:
    """The form, and with its answers (``?count=&every=``) the preview of every date."""
    form = CourseRequestForm(request.GET if "count" in request.GET else None)
    # After a first visit, the sessions are the follow-up (``course_service_for``).
    context = {"form": form, "rows": None, "course_service": course_service_for(appointment)}
    if form.is_bound and form.is_valid():
        count, every = form.cleaned_data["count"], form.cleaned_data["every"]
        rows = course_preview(
            appointment=appointment, every_weeks=every, count=count, now=now, by_staff=by_staff
        )
        context.update(
            _confirm_form(
                rows_shown=preview_rows(rows, appointment.practitioner_id),
                every=every,
                planned=count,
            )
        )
        context["free_count"] = sum(row.is_free for row in rows)
    return context


def _confirm_form(*, rows_shown, every: int, planned: int) -> dict:
    return {
        "rows": rows_shown,
        "every": every,
        "planned": planned,
        "numbers": ",".join(str(row["number"]) for row in rows_shown),
        "idempotency_key": uuid.uuid4(),
    }


def confirm(request, *, appointment, now, by_staff: bool, user=None):
    """Books what the preview sent. Returns (outcome, context, status): an outcome with
    nothing taken is done; otherwise the context shows the rows again (or says why not)."""
    data = request.POST
    most = settings.COURSE_MAX_SESSIONS
    numbers = posted_numbers(data, most=most)
    every = _small_int(data.get("every"))
    planned = _small_int(data.get("planned"))
    choices, unreadable = posted_choices(data, numbers)
    if every not in INTERVALS or planned is None or not numbers or unreadable:
        return None, {"error": "Please choose a time or “skip” on every row."}, 400
    try:
        outcome = course_book(
            appointment=appointment,
            every_weeks=every,
            planned=planned,
            choices=choices,
            now=now,
            by_staff=by_staff,
            user=user,
            idempotency_key=posted_key(data),
        )
    except BookingError as refused:
        return None, {"error": str(refused)}, 400
    if not outcome.taken:
        return outcome, {}, 200
    context = _confirm_form(
        rows_shown=preview_rows(outcome.taken, appointment.practitioner_id), every=every, planned=0
    )
    context.update(summary=summary_of(outcome), taken_since=True, free_count=0)
    return outcome, context, 409


def sessions_asked(data) -> int:
    """How many appointments a confirm form asks for (rows not skipped); at least 1."""
    numbers = posted_numbers(data, most=settings.COURSE_MAX_SESSIONS)
    choices, _ = posted_choices(data, numbers)
    return max(1, sum(1 for choice in choices if choice.start is not None))


def summary_of(outcome: CourseOutcome) -> str:
    return booked_summary(outcome.course.sessions_booked, outcome.course.sessions_planned)


def _small_int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else None
