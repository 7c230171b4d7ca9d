"""The patient's way through booking: service, time, details, review, confirm (the health
questions between details and review are in screening.py).

Every step works without JavaScript. What the visitor typed lives in their session
(``draft.BookingDraft``), so going back, an error or a slot taken by someone else
never loses it.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.validators import slug_re
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.local_time import zone_label

from .. import intake, questions, ratelimit, selectors, services
from ..caps import burst_noted
from ..draft import BookingDraft
from ..forms import ConsentForm, DetailsForm, ServiceChoiceForm
from ..manage_links import manage_link_create
from ..models import Service
from ..phone import phone_display
from . import returning
from .picker import encode_slot_choice, picker_context, posted_slot_choice

logger = logging.getLogger(__name__)


def _services(draft: BookingDraft):
    return selectors.service_list_public(
        allow_electrical=not draft.no_electrical, new_patient=draft.intake_kind == "new"
    )


def _named_practitioner(slug: str, service: Service, practitioners):
    """The active practitioner whose profile ``slug`` names, if they give ``service``."""
    if not slug_re.match(slug):
        return None
    return practitioners.filter(profile__slug=slug, services=service).first()


def _note_source_page(request, draft: BookingDraft) -> None:
    """Keeps the live page the visitor came from, when the link names one (``?source=``)."""
    source = request.GET.get("source", "")
    # A page id is a few ASCII digits: str.isdigit() also takes "²", and int() refuses
    # both that and a string of more than 4,300 digits.
    if (
        source.isascii()
        and source.isdigit()
        and len(source) <= 18
        and selectors.source_page_is_live(pk=int(source))
    ):
        draft.source_page_id = int(source)
        draft.save(request)


def _service_named(request, services_offered) -> Service | None:
    """The session a link names (``?service=``), if it is one on offer."""
    asked = request.GET.get("service", "")
    # Only a slug is looked up: PostgreSQL refuses a string with a NUL in it outright.
    return services_offered.filter(slug=asked).first() if slug_re.match(asked) else None


def _straight_to_times(request, draft: BookingDraft, wanted: Service, practitioners):
    """A link that names the session (an article's call to action) goes straight to its
    times, with the first available practitioner: one page and one tap fewer. A
    practitioner's profile names them too, when they give that session."""
    named = _named_practitioner(request.GET.get("practitioner", ""), wanted, practitioners)
    if wanted.pk != draft.service_id or (named and named.pk != draft.practitioner_id):
        draft.forget_time()
        draft.practitioner_id = named.pk if named else None
    draft.service_id = wanted.pk
    draft.save(request)
    return redirect("booking:time")


def _chosen_before(draft: BookingDraft) -> dict:
    """The session and practitioner already chosen, shown chosen again."""
    initial = {}
    if draft.service_id:
        initial["service"] = draft.service_id
    if draft.practitioner_id:
        initial["practitioner"] = draft.practitioner_id
    return initial


def _keep_choice(request, draft: BookingDraft, service: Service, practitioner):
    """Keeps the session and practitioner chosen on the form; the time chosen before goes
    if either changed."""
    if (
        service.pk != draft.service_id
        or (practitioner and practitioner.pk) != draft.practitioner_id
    ):
        draft.forget_time()
    draft.service_id = service.pk
    draft.practitioner_id = practitioner.pk if practitioner else None
    draft.save(request)
    return redirect("booking:time")


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    """Step 1: which session, and with whom."""
    draft = BookingDraft.load(request)
    if request.method == "POST" and "been_before" in request.POST:
        # Shown every session again; the code asked with the details decides.
        draft.intake_kind = None
        draft.save(request)
        return redirect("booking:start")
    _note_source_page(request, draft)
    services_offered = _services(draft)
    practitioners = selectors.practitioner_list_active(new_patient=draft.intake_kind == "new")
    wanted = _service_named(request, services_offered)
    if wanted and request.method == "GET":
        return _straight_to_times(request, draft, wanted, practitioners)

    form = ServiceChoiceForm(
        request.POST or None,
        initial=_chosen_before(draft),
        services=services_offered,
        practitioners=practitioners,
    )
    if request.method == "POST" and form.is_valid():
        return _keep_choice(
            request, draft, form.cleaned_data["service"], form.cleaned_data.get("practitioner")
        )
    return render(
        request,
        "booking/start.html",
        {
            "form": form,
            "draft": draft,
            "returning_only_hidden": draft.intake_kind == "new"
            and selectors.catalogue_closed_to_new_patients(),
            "step": 1,
            "meta_title": "Book a session",
            "meta_description": (
                "Book acupuncture for back or neck pain online: choose a session, a time that "
                "suits you, and answer a few health questions."
            ),
        },
    )


def _still_free(choice, service: Service, practitioner, *, now, new_patient: bool) -> bool:
    """Whether the time posted, with that practitioner, is still free: someone else may have
    booked it since the page was drawn."""
    start_at, practitioner_id = choice
    free = selectors.slot_list_free(
        service=service,
        practitioner=practitioner,
        first_day=start_at.astimezone(timezone.get_default_timezone()).date(),
        days=1,
        now=now,
        new_patient=new_patient,
    )
    return any(s.start == start_at and s.practitioner_id == practitioner_id for s in free)


def _say_with_whom(chosen_day: dict | None, catalogue: dict, practitioner) -> None:
    """With "first available", each time says with whom."""
    names = {pk: p.name for pk, p in catalogue["practitioners"].items()} if not practitioner else {}
    for slot in (chosen_day or {}).get("slots", []):
        slot["who"] = names.get(slot["practitioner_id"], "")


@never_cache
@require_http_methods(["GET", "POST"])
def choose_time(request):
    """Step 2: a day and a time, a week at a time."""
    draft = BookingDraft.load(request)
    # Named from the cached catalogue: this page is the one a patient reloads and pages
    # through; the booking itself reads the database (services.appointment_book).
    catalogue = selectors.catalogue_get()
    service = catalogue["services"].get(draft.service_id)
    if service is None:
        return redirect("booking:start")
    practitioner = catalogue["practitioners"].get(draft.practitioner_id)
    if draft.practitioner_id is not None and practitioner is None:
        return redirect("booking:start")  # no longer bookable: choose again
    now = timezone.now()
    # Found new at the details step (and sent back here): only the times of practitioners
    # who see new patients.
    new_patient = draft.intake_kind == "new"
    error = None
    if request.method == "POST":
        choice, error = posted_slot_choice(request)
        if choice:
            start_at, practitioner_id = choice
            if _still_free(choice, service, practitioner, now=now, new_patient=new_patient):
                draft.waitlist = {}  # a time chosen after all
                draft.start = start_at.isoformat()
                draft.slot_practitioner_id = practitioner_id
                draft.save(request)
                return redirect("booking:review" if draft.intake else "booking:details")
            error = "That time is no longer free. Please choose another one."
    context = picker_context(
        request, service=service, practitioner=practitioner, now=now, new_patient=new_patient
    )
    _say_with_whom(context["chosen_day"], catalogue, practitioner)
    return render(
        request,
        "booking/choose_time.html",
        {
            **context,
            "service": service,
            "practitioner": practitioner,
            "error": error,
            "step": 2,
            "meta_title": "Choose a time",
        },
        status=400 if error else 200,
    )


def _require_time(draft: BookingDraft):
    """Where to go back to before the details and the questions: a service and a time, or
    the waiting list's days and times instead of a time."""
    if draft.service_id is None:
        return redirect("booking:start")
    if draft.start is None and not draft.waitlist:
        return redirect("booking:time")
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def details(request):
    """Step 3: who the patient is."""
    draft = BookingDraft.load(request)
    if missing := _require_time(draft):
        return missing
    initial = dict(draft.details)
    if initial.get("phone"):
        initial["phone"] = phone_display(initial["phone"])  # as the patient wrote it
    form = DetailsForm(request.POST or None, initial=initial)
    too_many = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        too_many = not returning.details_allowed(request, data["email"])
        if not too_many:
            draft.details = {
                "first_name": data["first_name"].strip(),
                "last_name": data["last_name"].strip(),
                "email": data["email"].strip(),
                "phone": data["phone"].strip(),
                "date_of_birth": data["date_of_birth"].isoformat(),
            }
            # Nothing here looks the visitor up: the short questions for a returning
            # patient come only after they prove the address (views/returning.py).
            return returning.after_details(request, draft, been_before=data["been_before"])
    return render(
        request,
        "booking/details.html",
        {
            "form": form,
            "draft": draft,
            "step": 3,
            "meta_title": "Your details",
            "error": returning.TOO_MANY if too_many else None,
        },
        status=429 if too_many else 400 if form.errors else 200,
    )


def _posted_key(request) -> uuid.UUID | None:
    """The idempotency key the review form sent, or None when it sent none or not a UUID
    (then the draft's own key stands in, as if the field were missing)."""
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None


def _booked_before(request) -> HttpResponse | None:
    """Where a form sent again after it succeeded leads (its draft is gone by then): to
    what it booked. The booking service answers a repeated key itself."""
    if request.method != "POST":
        return None
    booked = selectors.appointment_get_by_idempotency_key(key=_posted_key(request))
    if booked is None:
        return None
    return redirect("booking:manage", token=manage_link_create(appointment=booked))


def _take_nearby_time(request, draft: BookingDraft) -> None:
    """A nearby time offered after the chosen one was taken replaces it, under a new key.
    A slot value that cannot be read is ignored: the draft's time stands."""
    if "slot" not in request.POST:
        return
    choice, _ = posted_slot_choice(request)
    if choice:
        draft.start = choice[0].isoformat()
        draft.slot_practitioner_id = choice[1]
        draft.idempotency_key = str(uuid.uuid4())
        draft.save(request)


def _confirm(request, draft: BookingDraft, service: Service) -> HttpResponse | tuple[dict, int]:
    """Books the draft and leads to the appointment, or says why not: (context, status)."""
    limit = settings.BOOKING_SUBMISSIONS_PER_HOUR
    if not ratelimit.allow(request, scope="booking", limit=limit, window_seconds=3600):
        burst_noted("booking")
        return {
            "error": "There have been too many booking attempts from your connection. Your "
            "answers are kept: please try again in a little while, or call us."
        }, 429
    try:
        appointment = services.appointment_book(
            service=service,
            practitioner=draft.practitioner(),
            preferred_practitioner_id=draft.slot_practitioner_id,
            start=draft.start_at(),
            details=draft.patient_details(),
            answers=draft.intake_answers(),
            source_page_id=draft.source_page_id,
            idempotency_key=_posted_key(request) or uuid.UUID(draft.idempotency_key),
            now=timezone.now(),
        )
    except services.SlotTaken as taken:
        alternatives = [
            {
                "value": encode_slot_choice(slot.start, slot.practitioner_id),
                "local": slot.start.astimezone(timezone.get_default_timezone()),
            }
            for slot in taken.alternatives
        ]
        return {"taken": True, "alternatives": alternatives}, 409
    except services.BookingError as refused:
        return {"error": str(refused)}, 400
    except DatabaseError:
        # The transaction rolled back as a whole: nothing half-made is left behind.
        logger.exception("Booking could not be saved (database unavailable)")
        return {
            "error": "We could not save your booking just now, and nothing was booked. Your "
            "answers are kept: please try again in a moment, or call us."
        }, 503
    BookingDraft.clear(request)
    request.session["just_booked"] = str(appointment.public_id)
    return HttpResponseRedirect(
        reverse("booking:manage", args=[manage_link_create(appointment=appointment)])
    )


def _sent(request, draft, service, consent: ConsentForm) -> HttpResponse | tuple[dict, int]:
    """The summary sent: a nearby time taken in, then the booking, only with the consent."""
    _take_nearby_time(request, draft)
    if not consent.is_valid():
        return {}, 400  # nothing is booked without it; the summary asks again
    return _confirm(request, draft, service)


def _summary(draft: BookingDraft, service: Service) -> dict:
    """The chosen time, with whom, and the screening answers the practitioner will see."""
    tz = timezone.get_default_timezone()
    start_at = draft.start_at()
    end_at = start_at + dt.timedelta(minutes=service.duration_minutes) if start_at else None
    change_until = (
        start_at - selectors.booking_policy_get().cancellation_window if start_at else None
    )
    return {
        "change_until": change_until.astimezone(tz) if change_until else None,
        "changes_closed": change_until is not None and change_until <= timezone.now(),
        "start_local": start_at.astimezone(tz) if start_at else None,
        "end_local": end_at.astimezone(tz) if end_at else None,
        "zone_name": zone_label(),
        "practitioner": draft.slot_practitioner(),
        "flags": [
            questions.FLAG_LABELS[f]
            for f in intake.screening_flags(draft.intake.get("answers", {}), draft.patient_age())
        ],
    }


def _missing_before_review(draft: BookingDraft) -> HttpResponse | None:
    if missing := _require_time(draft):
        return missing
    if not draft.intake:
        return redirect("booking:intake" if draft.details else "booking:details")
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def review(request):
    """Step 5: everything at a glance, then confirm. The time is checked again here."""
    draft = BookingDraft.load(request)
    if draft.waitlist and not draft.start:
        return redirect("booking:waitlist_review")
    missing = _missing_before_review(draft)
    service = None if missing else draft.service()
    if service is None:
        # Nothing to book from: a second click may find what the first one booked.
        return _booked_before(request) or missing or redirect("booking:start")
    consent = ConsentForm(request.POST or None, returning=draft.intake_kind == "returning")
    context = {
        "draft": draft,
        "service": service,
        "consent": consent,
        "step": 5,
        "meta_title": "Check and confirm",
    }
    status = 200
    if request.method == "POST":
        outcome = _sent(request, draft, service, consent)
        if isinstance(outcome, HttpResponse):
            return outcome
        shown, status = outcome
        context.update(shown)
    context.update(_summary(draft, service))
    return render(request, "booking/review.html", context, status=status)
