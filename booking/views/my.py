"""'My appointments' (/my/): an email address in, the same "check your email" out, whoever
it belongs to; the emailed link (single use, 15 minutes) signs the patient in to a page of
their own visits, waiting-list entries and courses, which they can move, cancel, leave or
book again (the changes themselves are in my_changes.py).

The patient's session is not a staff sign-in (booking/patients/session.py). Every page
here is never cached, and names appointments by their public id only among the signed-in
patient's own: anyone else's answers 404.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from practice.local_time import zone_label

from .. import encryption, privacy, ratelimit, selectors
from ..draft import BookingDraft
from ..forms import SignInForm
from ..patients import links
from ..patients import selectors as mine
from ..patients.session import patient_sign_in, patient_sign_out, signed_in_patient
from ..patients.tasks import send_sign_in_link
from ..progress.chart import peg_summary
from ..progress.selectors import peg_history
from ..waitlist import services as waitlist_services

# An hour's limits on asking for a link: (per session, per client address, per email).
SIGN_IN_LIMITS = (5, 20, 3)


def patient_required(view):
    """The signed-in patient as ``request.patient``; else back to the sign-in form."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        patient = signed_in_patient(request)
        if patient is None:
            messages.info(request, "Please sign in again: it has been an hour, or you signed out.")
            return redirect("my:home")
        request.patient = patient
        return view(request, *args, **kwargs)

    return wrapper


def own_visit(request, public_id):
    visit = mine.visit_get(patient=request.patient, public_id=public_id)
    if visit is None:
        raise Http404("No such appointment.")
    return visit


def _rows(visits, *, now, window, ask_peg=False) -> list[dict]:
    tz = timezone.get_default_timezone()
    return [
        {
            "visit": v,
            "start_local": v.starts_at.astimezone(tz),
            "end_local": v.ends_at.astimezone(tz),
            "can_change": v.status == "confirmed" and v.starts_at - window > now,
            "peg_asked": ask_peg and v.status == "confirmed" and v.starts_at > now,
        }
        for v in visits
    ]


def _dashboard(request):
    patient, now = request.patient, timezone.now()
    policy = selectors.booking_policy_get()
    window = policy.cancellation_window
    history = peg_history(patient=patient)  # their own answers: no staff view to log
    upcoming = mine.visit_list_upcoming(patient=patient, now=now)
    return render(
        request,
        "booking/my/home.html",
        {
            "patient": patient,
            "upcoming": _rows(upcoming, now=now, window=window, ask_peg=policy.ask_peg),
            "ask_peg": policy.ask_peg,
            **peg_summary(history),
            "past": _rows(mine.visit_list_past(patient=patient, now=now), now=now, window=window),
            "entries": mine.waitlist_entry_list_open(patient=patient),
            "zone_name": zone_label(),
            "meta_title": "My appointments",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def home(request):
    """Signed in: the patient's page. Otherwise the form that emails a sign-in link."""
    patient = signed_in_patient(request)
    if patient is not None and request.method == "GET":
        request.patient = patient
        return _dashboard(request)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.allow_all(request, scope="sign-in", email=email, limits=SIGN_IN_LIMITS):
            return render(
                request,
                "booking/my/sign_in.html",
                {"form": form, "too_many": True, "meta_title": "My appointments"},
                status=429,
            )
        # The task looks the address up, so this answer takes the same time for anyone.
        send_sign_in_link.enqueue(sealed=encryption.encrypt_json({"to": email}))
        return redirect("my:check_email")
    return render(
        request,
        "booking/my/sign_in.html",
        {"form": form, "meta_title": "My appointments"},
        status=400 if form.errors else 200,
    )


@never_cache
def check_email(request):
    return render(request, "booking/my/check_email.html", {"meta_title": "Check your email"})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    """GET shows a button (mail scanners open links; only a person's tap spends it); POST
    signs in. A link spent, expired or made up says so, and counts as a wrong guess."""
    # Every answer here is a 200: Django logs the address of a 4xx, and the address holds
    # the token (a spent one is no use, but no token belongs in a log).
    if ratelimit.count(request, scope="sign-in-miss", window_seconds=3600) >= 20:
        response = render(request, "booking/too_many_attempts.html", {"meta_title": "Too many"})
    elif request.method == "POST" and (patient := links.sign_in_link_use(token)):
        patient_sign_in(request, patient)
        BookingDraft.clear(request)
        response = redirect("my:home")
    elif request.method == "GET" and links.sign_in_link_peek(token):
        response = render(request, "booking/my/sign_in_link.html", {"meta_title": "Sign in"})
    else:
        ratelimit.allow(request, scope="sign-in-miss", limit=20, window_seconds=3600)
        response = render(
            request,
            "booking/my/sign_in_link.html",
            {"spent": True, "meta_title": "This link does not work"},
        )
    # The address holds the token: no other site hears of it ("no-referrer" would make
    # the browser send "Origin: null" with the form, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_POST
def sign_out(request):
    patient_sign_out(request)
    messages.success(request, "You have signed out.")
    return redirect("my:home")


@never_cache
@require_POST
@patient_required
def leave_waitlist(request, public_id):
    entry = mine.waitlist_entry_get(patient=request.patient, public_id=public_id)
    if entry is None:
        raise Http404("No such entry.")
    if waitlist_services.entry_withdraw(entry=entry):
        messages.success(request, "You have left the waiting list.")
    return redirect("my:home")


@never_cache
@require_POST
@patient_required
def book_again(request, public_id):
    """The booking's steps for the same session and practitioner, with the patient's
    details filled in and their address proven: the short questions, once checked."""
    visit = own_visit(request, public_id)
    patient = request.patient
    draft = BookingDraft(
        service_id=visit.service_id if visit.service.is_active else None,
        practitioner_id=visit.practitioner_id if visit.practitioner.is_active else None,
    )
    draft.know(patient)
    draft.save(request)
    return redirect("booking:time" if draft.service_id else "booking:start")


@never_cache
@require_POST
@patient_required
def download(request):
    """The patient's own copy of everything the practice holds about them, their answers
    included: the staff export itself (the right of access), logged as theirs."""
    patient = request.patient
    response = HttpResponse(
        privacy.patient_export_json(patient), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-appointments.json"'
    privacy.patient_export_log(patient, via="patient")
    return response
