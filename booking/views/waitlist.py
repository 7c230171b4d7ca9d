"""The waiting list's public pages: joining (from the time step, or "want something sooner?"
after booking), the entry's own page, and the claim page the offer email links to.

Joining walks the booking's own steps: the days and times that suit take the place of a
time, then the same details and health questions (a red flag stops here too), then a
last check. No JavaScript; every button is a form that posts, then redirects. A link that
was changed, or whose offer has gone, gets a page that says so, never an error.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from practice.local_time import zone_label

from .. import ratelimit, selectors
from ..contracts import BookingError
from ..draft import BookingDraft
from ..forms import ConsentForm, WaitlistWishForm
from ..manage_links import appointment_for_token, manage_link_create
from ..models import OfferOutcome, PartOfDay, WaitlistStatus
from ..models.schedule import Weekday
from ..tokens import entry_token
from ..waitlist import claims
from ..waitlist import selectors as waitlist_selectors
from ..waitlist import services as waitlist_services
from .manage import appointment_for_link, guarded, too_many_guesses

logger = logging.getLogger(__name__)

# An hour's joins: (per session, per client address, per email address).
JOIN_LIMITS = (3, 10, 3)


def _moving(draft: BookingDraft):
    """The booked appointment the patient came to move sooner (``join_to_move``), while it
    is still ahead."""
    move = draft.waitlist.get("move")
    appointment = (
        selectors.appointment_get_by_public_id(public_id=uuid.UUID(move)) if move else None
    )
    if appointment is None or appointment.starts_at <= timezone.now():
        return None
    return appointment


@never_cache
@require_http_methods(["GET"])
@guarded
def join_to_move(request, token):
    """ "Want something sooner?" on the manage page: the waiting list for this appointment's
    service and practitioner, to move it when a sooner time is claimed.

    The manage token is in the path (``/book/appointment/<token>/sooner/``), where the
    logs and nginx mask it, never in a query string; a wrong link counts as a guess, as
    on the manage page."""
    appointment = appointment_for_link(request, token)
    if appointment.starts_at <= timezone.now():
        return redirect("booking:manage", token)
    draft = BookingDraft.load(request)
    draft.service_id = appointment.service_id
    draft.practitioner_id = appointment.practitioner_id
    draft.waitlist = {"move": appointment.public_id.hex}
    draft.know(appointment.patient)  # the link was sent to them
    draft.save(request)
    return redirect("booking:waitlist_join")


def _wish_initial(draft: BookingDraft, moving) -> dict:
    """The days offered at first: from tomorrow until the appointment being moved, or for
    two weeks; what the patient chose before, if they come back to change it."""
    today = timezone.localdate()
    return {
        "earliest": today + dt.timedelta(days=1),
        "latest": moving.starts_at.astimezone(timezone.get_default_timezone()).date()
        if moving
        else today + dt.timedelta(weeks=2),
        **{k: v for k, v in draft.waitlist.items() if k in WaitlistWishForm.base_fields},
    }


def _keep_wish(request, draft: BookingDraft, data: dict):
    """Keeps the days and times that suit in place of a time, and goes on to the details,
    or straight to the last check when the details and answers are in already."""
    draft.forget_time()
    draft.waitlist = {
        "earliest": data["earliest"].isoformat(),
        "latest": data["latest"].isoformat(),
        "weekdays": data["weekdays"],
        "parts_of_day": data["parts_of_day"],
        "move": draft.waitlist.get("move", ""),
    }
    draft.save(request)
    if draft.details and draft.intake:
        return redirect("booking:waitlist_review")
    return redirect("booking:details")


@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    """The days and times that would suit, in place of a time; then the booking's steps."""
    old_move = request.GET.get("move", "") if request.method == "GET" else ""
    if old_move and appointment_for_token(old_move):
        # The link's old form, ?move=<token>, from pages already open: to the path form,
        # which keeps the token out of the query string. One that is not a link is ignored.
        return redirect("booking:waitlist_move", old_move)
    draft = BookingDraft.load(request)
    moving = _moving(draft) if request.method == "GET" else None
    service = draft.service()
    if service is None:
        return redirect("booking:start")
    form = WaitlistWishForm(
        request.POST or None,
        initial=_wish_initial(draft, moving),
        max_weeks=settings.WAITLIST_MAX_WEEKS,
    )
    if request.method == "POST" and form.is_valid():
        return _keep_wish(request, draft, form.cleaned_data)
    return render(
        request,
        "booking/waitlist/join.html",
        {
            "form": form,
            "service": service,
            "practitioner": draft.practitioner(),
            "moving": moving,
            "meta_title": "Join the waiting list",
        },
        status=400 if form.errors else 200,
    )


def _wish_summary(draft: BookingDraft) -> dict:
    wish = draft.waitlist
    days = dict(Weekday.choices)
    parts = dict(PartOfDay.choices)
    return {
        "earliest": dt.date.fromisoformat(wish["earliest"]),
        "latest": dt.date.fromisoformat(wish["latest"]),
        "weekdays": [days[d] for d in wish.get("weekdays", [])],
        "parts_of_day": [parts[p] for p in wish.get("parts_of_day", [])],
    }


def _missing_step(draft: BookingDraft, service):
    """Where to go back to before the last check: the first of the session, the days and
    times, the details and the health questions still missing."""
    if service is None or not draft.waitlist.get("earliest"):
        return redirect("booking:waitlist_join" if service else "booking:start")
    if not (draft.details and draft.intake):
        return redirect("booking:intake" if draft.details else "booking:details")
    return None


def _join_allowed(request, draft: BookingDraft) -> bool:
    """Whether this connection, and this email address, may join again this hour."""
    per_address = ratelimit.allow(
        request, scope="booking", limit=settings.BOOKING_SUBMISSIONS_PER_HOUR, window_seconds=3600
    )
    return per_address and ratelimit.allow_all(
        request, scope="waitlist-join", email=draft.details.get("email"), limits=JOIN_LIMITS
    )


def _join(draft: BookingDraft, service, wish: dict):
    """The entry, with the wish, the details and the answers the draft holds."""
    move = draft.waitlist.get("move")
    return waitlist_services.waitlist_join(
        service=service,
        practitioner=draft.practitioner(),
        earliest=wish["earliest"],
        latest=wish["latest"],
        weekdays=draft.waitlist.get("weekdays", []),
        parts_of_day=draft.waitlist.get("parts_of_day", []),
        details=draft.patient_details(),
        answers=draft.intake_answers(),
        move_appointment=selectors.appointment_get_by_public_id(public_id=uuid.UUID(move))
        if move
        else None,
        source_page_id=draft.source_page_id,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join_review(request):
    """The last check before joining, and the join itself."""
    draft = BookingDraft.load(request)
    service = draft.service()
    if missing := _missing_step(draft, service):
        return missing
    consent = ConsentForm(request.POST or None, returning=draft.intake_kind == "returning")
    context = {
        "service": service,
        "practitioner": draft.practitioner(),
        "wish": _wish_summary(draft),
        "consent": consent,
        "meta_title": "Join the waiting list",
    }
    if request.method == "GET":
        return render(request, "booking/waitlist/review.html", context)
    if not consent.is_valid():
        return render(request, "booking/waitlist/review.html", context, status=400)
    if not _join_allowed(request, draft):
        context["error"] = "Too many attempts from your connection: please try again later."
        return render(request, "booking/waitlist/review.html", context, status=429)
    try:
        entry = _join(draft, service, context["wish"])
    except BookingError as refused:
        context["error"] = str(refused)
        return render(request, "booking/waitlist/review.html", context, status=400)
    except DatabaseError:
        logger.exception("Waiting-list entry could not be saved (database unavailable)")
        context["error"] = "We could not save this just now. Please try again in a moment."
        return render(request, "booking/waitlist/review.html", context, status=503)
    BookingDraft.clear(request)
    return redirect("booking:waitlist_entry", token=entry_token(entry.public_id))


def _not_found(request, *, status: int = 404):
    """A link that opened nothing: counted as a guess (the same limit as the manage link)."""
    if ratelimit.link_missed(request):
        return too_many_guesses(request)
    return render(
        request,
        "booking/waitlist/gone.html",
        {"meta_title": "This link does not work", "bad_link": True},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def entry(request, token: str):
    """The entry's own page: what it waits for, and a button to leave the list."""
    found = waitlist_selectors.entry_get_by_token(token)
    if found is None:
        return _not_found(request)
    if request.method == "POST":
        if waitlist_services.entry_withdraw(entry=found):
            messages.success(request, "You have left the waiting list.")
        return redirect("booking:waitlist_entry", token=token)
    return render(
        request,
        "booking/waitlist/entry.html",
        {
            "entry": found,
            "is_open": found.is_open,
            "meta_title": "Your place on the waiting list",
            "statuses": WaitlistStatus,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request, token: str):
    """The offer: claim it or let it go. Claimed, the patient lands on the appointment."""
    offer = waitlist_selectors.offer_get_by_token(token)
    if offer is None:
        return _not_found(request)
    now = timezone.now()
    still_open = offer.outcome == OfferOutcome.PENDING and offer.expires_at > now
    if request.method == "POST" and still_open:
        if request.POST.get("action") == "decline":
            claims.offer_decline(offer=offer, now=now)
            messages.info(request, "Thank you: the time goes to the next person waiting.")
            return redirect("booking:waitlist_entry", token=entry_token(offer.entry.public_id))
        try:
            appointment = claims.offer_claim(offer=offer, now=now)
        except BookingError as refused:
            return render(
                request,
                "booking/waitlist/gone.html",
                {"meta_title": "This time is no longer held", "message": str(refused)},
                status=410,
            )
        request.session["just_booked"] = str(appointment.public_id)
        return redirect(
            reverse("booking:manage", args=[manage_link_create(appointment=appointment)])
        )
    if not still_open:
        return render(
            request,
            "booking/waitlist/gone.html",
            {
                "meta_title": "This time is no longer held",
                "claimed": offer.outcome == OfferOutcome.CLAIMED,
                "entry_url": reverse(
                    "booking:waitlist_entry", args=[entry_token(offer.entry.public_id)]
                ),
            },
            status=410,
        )
    tz = timezone.get_default_timezone()
    return render(
        request,
        "booking/waitlist/claim.html",
        {
            "offer": offer,
            "starts_local": timezone.localtime(offer.starts_at, tz),
            "expires_local": timezone.localtime(offer.expires_at, tz),
            "zone_name": zone_label(),
            "meta_title": "A time has come free",
        },
    )
