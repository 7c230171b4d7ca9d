"""The booking's way for a returning patient: "I have been here before" on the details step
sends a six-digit code to the address typed (booking/patients/codes.py); the right code
opens the short questions when the practice knows that address and date of birth, and the
full ones when not.

Until the code is used, nothing here depends on whether the address is a patient's: the
same page, the same email, the same work. Each step has its limits per session, per
client address and per email address (``ratelimit.allow_all``).
"""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import newcomers, ratelimit, selectors
from ..draft import BookingDraft
from ..forms import EmailCodeForm
from ..patients import codes

# An hour's limits: (per session, per client address, per email address).
DETAILS_LIMITS = (20, 60, 10)
CODE_SEND_LIMITS = (5, 20, 5)
CODE_CHECK_LIMITS = (15, 60, 15)

TOO_MANY = (
    "There have been too many attempts from your connection or for this email address. "
    "Your answers are kept: please try again in a little while, or call us."
)

WRONG_CODE = {
    codes.Check.WRONG: "That code is not the one we sent. Please check the email and try again.",
    codes.Check.SPENT: (
        "This code no longer works: it is more than ten minutes old, or was typed wrong too "
        "many times. Ask for a new one, or answer the full questions instead."
    ),
}


def details_allowed(request, email: str) -> bool:
    """Counts one sending of the details step (the waiting list's join walks it too)."""
    return ratelimit.allow_all(request, scope="details", email=email, limits=DETAILS_LIMITS)


def _kind_for(draft: BookingDraft) -> str:
    """The questions this visitor gets: the short ones only for an address they proved
    and a patient seen before under it and this date of birth."""
    email = draft.details.get("email", "")
    if not draft.proves(email):
        return "new"
    returning = selectors.patient_get_returning(
        email=email, date_of_birth=dt.date.fromisoformat(draft.details["date_of_birth"])
    )
    return "returning" if returning else "new"


def _set_kind(draft: BookingDraft, kind: str) -> None:
    if kind != draft.intake_kind:
        draft.intake = {}
    draft.intake_kind = kind


def for_new_patients_only(request, draft: BookingDraft):
    """For a visitor found to be new: back to choose again, with why, when the session or
    the practitioner chosen (or the one free at the chosen time) sees patients only after a
    first visit; else None. The draft keeps the details and any answers."""
    if draft.intake_kind != "new":
        return None
    service, chosen = draft.service(), draft.practitioner()
    if service is not None and (refused := newcomers.refusal(service, chosen)):
        if newcomers.service_refusal(service):
            draft.service_id = None
        draft.practitioner_id = None
        draft.forget_time()
        draft.waitlist = {}  # the days and times were for what was chosen
        draft.save(request)
        messages.warning(request, refused)
        return redirect("booking:start")
    slot_practitioner = draft.slot_practitioner()
    if refused := newcomers.practitioner_refusal(slot_practitioner):
        draft.forget_time()
        draft.save(request)
        messages.warning(request, f"{refused} The time you chose was with them.")
        return redirect("booking:time")
    return None


def after_details(request, draft: BookingDraft, *, been_before: bool):
    """Where the details step leads: the questions, or first the code for a visitor who
    says they have been here before and has not proved this address yet; back to the
    choice for a new visitor who chose what only returning patients may book."""
    _set_kind(draft, _kind_for(draft))
    email = draft.details["email"]
    wants_code = been_before and not draft.proves(email)
    if wants_code and not codes.code_pending_for(request, email=email):
        _send_code(request, email)
    draft.save(request)
    if not wants_code and (back := for_new_patients_only(request, draft)):
        return back
    return redirect("booking:email_code" if wants_code else "booking:intake")


def _send_code(request, email: str) -> bool:
    if not ratelimit.allow_all(request, scope="code-send", email=email, limits=CODE_SEND_LIMITS):
        return False
    codes.code_issue(request, email=email)
    return True


def _page(request, draft, form, *, status=200, error=None):
    return render(
        request,
        "booking/email_code.html",
        {
            "form": form,
            "email": draft.details["email"],
            "error": error,
            "tries_left": codes.tries_left(request),
            "step": 3,
            "meta_title": "The code from your email",
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def email_code(request):
    """ "We have emailed you a code": type it in, ask for a new one, or skip it."""
    draft = BookingDraft.load(request)
    if draft.service_id is None:
        return redirect("booking:start")
    if not draft.details:
        return redirect("booking:details")
    email = draft.details["email"]
    if draft.proves(email):
        return redirect("booking:intake")
    if request.method == "GET":
        return _page(request, draft, EmailCodeForm())
    if request.POST.get("action") == "resend":
        if _send_code(request, email):
            messages.info(request, "We have sent a new code. The one before no longer works.")
            return redirect("booking:email_code")
        return _page(request, draft, EmailCodeForm(), status=429, error=TOO_MANY)
    return _check(request, draft, EmailCodeForm(request.POST))


def _check(request, draft: BookingDraft, form: EmailCodeForm):
    """The code typed: the questions when it is right, else the page again and why."""
    email = draft.details["email"]
    if not form.is_valid():
        return _page(request, draft, form, status=400)
    if not ratelimit.allow_all(request, scope="code-check", email=email, limits=CODE_CHECK_LIMITS):
        return _page(request, draft, form, status=429, error=TOO_MANY)
    outcome = codes.code_check(request, email=email, code=form.cleaned_data["code"])
    if outcome is not codes.Check.PROVEN:
        return _page(request, draft, EmailCodeForm(), status=400, error=WRONG_CODE[outcome])
    draft.email_proven = ratelimit.email_name(email)
    _set_kind(draft, _kind_for(draft))
    draft.save(request)
    if draft.intake_kind != "new":
        return redirect("booking:intake")
    messages.info(
        request,
        "Thank you. We found no earlier visit under this email address and date of birth, "
        "so please answer the full questions (or go back and check your date of birth).",
    )
    return for_new_patients_only(request, draft) or redirect("booking:intake")
