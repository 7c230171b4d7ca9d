"""The PEG's three questions before a visit: from the manage link (the reminder's and the
confirmation's) and from "My appointments". Optional: "skip" leads back, nothing kept."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..forms import PegForm
from ..progress.selectors import peg_get, peg_is_asked
from ..progress.services import peg_record
from .manage import appointment_for_link, guarded
from .my import own_visit, patient_required

THANKS = "Thank you: your practitioner will see your answers before the visit."


def _ask(request, appointment, *, action: str, back: str):
    """The form for ``appointment``, kept on POST; 404 once it is no longer asked."""
    if not peg_is_asked(appointment, now=timezone.now()):
        raise Http404("These questions are not asked for this appointment.")
    earlier = peg_get(appointment=appointment) if request.method == "GET" else None
    form = PegForm(request.POST or None, initial=earlier.as_dict() if earlier else None)
    if request.method == "POST" and form.is_valid():
        peg_record(appointment=appointment, answers=form.answers())
        messages.success(request, THANKS)
        return redirect(back)
    return render(
        request,
        "booking/progress.html",
        {
            "form": form,
            "action": action,
            "back": back,
            "appointment": appointment,
            "start_local": timezone.localtime(appointment.starts_at),
            "answered_before": earlier is not None,
            "meta_title": "Pain over the past week",
        },
        status=400 if form.errors else 200,
    )


@never_cache
@guarded
@require_http_methods(["GET", "POST"])
def by_link(request, token):
    appointment = appointment_for_link(request, token)
    return _ask(
        request,
        appointment,
        action=reverse("booking:progress", args=[token]),
        back=reverse("booking:manage", args=[token]),
    )


@never_cache
@patient_required
@require_http_methods(["GET", "POST"])
def mine(request, public_id):
    visit = own_visit(request, public_id)
    return _ask(
        request,
        visit,
        action=reverse("my:progress", args=[visit.public_id]),
        back=reverse("my:home"),
    )
