"""The health questions: the booking's step 4, the stop page, and the questions a patient
booked by phone answers through their private link.

The rules the answers set are in booking/intake.py; these views only ask and show.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.seek_care import Tier

from .. import intake, screening, services
from ..draft import BookingDraft
from ..forms import CONSENT_BOXES, NewPatientIntakeForm, ReturningPatientIntakeForm
from ..forms.intake import SECOND_PAGE_FIELDS
from ..forms.screening import DETAILS_SHOWN
from ..models import AppointmentStatus
from .manage import appointment_for_link, guarded
from .wizard import _require_time


def _revised(request, form_class) -> dict:
    """What the stop page sent back ("I ticked something by mistake"): the form's own
    fields as typed, to show again for changing. Nothing of it was kept in between."""
    return {
        name: request.POST.getlist(name)
        if isinstance(field, forms.MultipleChoiceField)
        else request.POST.get(name)
        for name, field in form_class().fields.items()
        if name in request.POST
    }


def _carried(form) -> list[tuple[str, str]]:
    """The answers as the form was sent, for the stop page's way back (consent aside)."""
    pairs = []
    for name, field in form.fields.items():
        if name in CONSENT_BOXES:  # ticked again on the way back, as the first time
            continue
        if isinstance(field, forms.MultipleChoiceField):
            pairs.extend((name, value) for value in form.data.getlist(name))
        elif name in form.data:
            pairs.append((name, form.data.get(name)))
    return pairs


def _only_second_page_errors(form) -> bool:
    return set(form.errors) <= SECOND_PAGE_FIELDS


def _details_page(request, context: dict, status: int = 200) -> HttpResponse:
    """The second page: the detailed questions of the groups answered "Yes", the first
    page's answers carried along unseen (nothing is kept until the whole form is sent)."""
    return render(
        request,
        "booking/intake_details.html",
        {**context, "details_shown": DETAILS_SHOWN},
        status=status,
    )


def _stop_page(
    request,
    *,
    tier: Tier,
    returning: bool,
    back_to: str,
    carried,
    booked: bool = False,
    pregnancy: bool = False,
) -> HttpResponse:
    """``booked``: the questions came after a phone booking, which stays in the diary.
    ``pregnancy``: a danger sign in pregnancy, for which the maternity unit is named."""
    return render(
        request,
        "booking/seek_care.html",
        {
            "tier": tier.value,
            "returning": returning,
            "back_to": back_to,
            "carried": carried,
            "booked": booked,
            "pregnancy": pregnancy,
            "meta_title": "Please get medical care first",
        },
    )


def _intake_form(request, form_class, *, answers=None, **known):
    """The questions' form, and whether it is being revised: sent back from the stop page
    to change (shown unbound, as typed), else as posted or as answered before."""
    if request.method == "POST" and "revise" in request.POST:
        return form_class(initial=_revised(request, form_class), **known), True
    return form_class(request.POST or None, initial=answers, **known), False


def _sent_in_full(request, form, revising: bool) -> bool:
    """Whether the questions came back answered, rather than sent back to change."""
    return request.method == "POST" and not revising and form.is_valid()


def _asked_again(request, form, context: dict) -> HttpResponse:
    """The questions once more, with what is wrong: the second page when only its answers
    are, else the first."""
    if form.is_bound and form.second_page and _only_second_page_errors(form):
        return _details_page(request, context, status=400)
    return render(request, "booking/intake.html", context, status=400 if form.errors else 200)


def _after_intake(request, draft: BookingDraft, form, service, returning: bool):
    """Where the patient goes with their answers: the stop page, a session without
    electrical stimulation, or on to the summary."""
    answers = form.answers()
    age = draft.patient_age()
    refusal = intake.refusal_for(service, answers, age=age)
    if refusal in (intake.Refusal.EMERGENCY, intake.Refusal.SEE_A_DOCTOR):
        # Nothing is kept: the draft loses any answers it held (the time and the details
        # stay, so that the way back works), and the way back carries them in the page.
        draft.intake = {}
        draft.no_electrical = False
        draft.save(request)
        return _stop_page(
            request,
            tier=intake.urgency(answers, age),
            returning=returning,
            back_to=reverse("booking:intake"),
            carried=_carried(form),
            pregnancy=intake.pregnancy_emergency(answers),
        )
    draft.intake = {"pain_score": answers["pain_score"], "answers": answers}
    draft.no_electrical = intake.rules_out_electrical_stimulation(answers)
    if refusal is intake.Refusal.NO_ELECTRICAL:
        # The answers are kept; the patient chooses a session without it.
        draft.service_id = None
        draft.forget_time()
        draft.save(request)
        return redirect(reverse("booking:start") + "?changed=electrical")
    draft.save(request)
    return redirect("booking:waitlist_review" if draft.waitlist else "booking:review")


@never_cache
@require_http_methods(["GET", "POST"])
def intake_step(request):
    """Step 4: the health questions, full for new patients, short for returning ones."""
    draft = BookingDraft.load(request)
    if missing := _require_time(draft):
        return missing
    if not draft.details or not draft.intake_kind:
        return redirect("booking:details")
    returning = draft.intake_kind == "returning"
    form_class = ReturningPatientIntakeForm if returning else NewPatientIntakeForm
    # "How did you hear about us?" is not asked of someone who came from an article.
    known = {} if returning else {"source_known": draft.source_page_id is not None}
    # The consent is given on the summary, next to "Confirm the booking" (forms/consent.py).
    known["consent"] = False
    form, revising = _intake_form(request, form_class, answers=draft.intake.get("answers"), **known)
    service = draft.service()
    context = {
        "form": form,
        "action": reverse("booking:intake"),
        "draft": draft,
        "service": service,
        "returning": returning,
        "step": 4,
        "submit_label": "Continue to the summary",
        "meta_title": "Health questions",
    }
    if _sent_in_full(request, form, revising):
        if form.needs_details():
            return _details_page(request, context)
        return _after_intake(request, draft, form, service, returning)
    return _asked_again(request, form, context)


@never_cache
def seek_care(request):
    """The stop page reached directly (a bookmark, a reload): both tiers, nothing asked."""
    return render(
        request,
        "booking/seek_care.html",
        {"tier": None, "meta_title": "Please get medical care first"},
    )


def _record_for_booked(request, appointment, form, *, returning: bool, token: str, back_to: str):
    """The answers for a booked appointment: the stop page when they call for care first,
    else kept with the appointment and a thank-you on its page."""
    answers = form.answers()
    age = intake.age_on(appointment.patient.date_of_birth, timezone.localdate())
    if tier := intake.urgency(answers, age):
        screening.appointment_screening_stopped(appointment=appointment)
        return _stop_page(
            request,
            tier=tier,
            returning=returning,
            back_to=back_to,
            carried=_carried(form),
            booked=True,
            pregnancy=intake.pregnancy_emergency(answers),
        )
    screening.appointment_screening_record(
        appointment=appointment,
        answers=services.IntakeAnswers(
            kind="returning" if returning else "new",
            pain_score=answers["pain_score"],
            answers=answers,
        ),
        age=age,
    )
    if intake.refusal_for(appointment.service, answers, age=age):
        messages.warning(
            request,
            "Thank you. This session uses electrical stimulation, which your answers rule "
            "out: we will call you to change it to a session without it.",
        )
    else:
        messages.success(request, "Thank you: the practitioner will read your answers.")
    return redirect("booking:manage", token=token)


@never_cache
@guarded
@require_http_methods(["GET", "POST"])
def answer_for_booked(request, token):
    """The health questions for an appointment booked by phone, through the private link
    in its confirmation: until they are answered, the appointment reads "not screened yet"."""
    appointment = appointment_for_link(request, token)
    if appointment.status != AppointmentStatus.CONFIRMED:
        raise Http404("No such appointment.")
    if appointment.screened:
        messages.info(request, "Thank you: your health questions are already answered.")
        return redirect("booking:manage", token=token)
    returning = not appointment.is_first_visit
    form_class = ReturningPatientIntakeForm if returning else NewPatientIntakeForm
    form, revising = _intake_form(request, form_class)
    back_to = reverse("booking:answer_for_booked", args=[token])
    context = {
        "form": form,
        "action": back_to,
        "service": appointment.service,
        "returning": returning,
        "submit_label": "Send my answers",
        "meta_title": "Health questions",
    }
    if _sent_in_full(request, form, revising):
        if form.needs_details():
            return _details_page(request, context)
        return _record_for_booked(
            request, appointment, form, returning=returning, token=token, back_to=back_to
        )
    return _asked_again(request, form, context)
