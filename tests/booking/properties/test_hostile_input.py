"""Random and hostile input on every public form: never a server error, never an appointment
from invalid data, never an unescaped echo.

Each property puts the visitor's session at the step under test (a draft written straight
into the session, so one example costs one or two requests), sends one hostile request and
checks the answer. Everything an example changes is undone before the next one: the
function-scoped database is rolled back once per test, not once per example.
"""

import datetime as dt
import urllib.parse
import uuid
from dataclasses import asdict

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from booking import intake, questions, selectors
from booking.forms import CHECKLISTS, ReturningPatientIntakeForm
from booking.forms.screening import DETAILS_SHOWN, GROUP_CHOICES, GROUPS, SOME
from booking.models import Appointment, Intake, Patient, Practitioner, Service
from booking.views.picker import parse_slot_choice
from tests.booking.walk import CONSENT, details_data, draft_of, intake_data, seed
from tests.clock import local, next_weekday
from tests.factories.bookings import book, manage_token
from tests.factories.practice import practitioner

from . import strategies as hs

pytestmark = pytest.mark.django_db

# The suite's Hypothesis profile (tests/conftest.py) makes every run draw the same examples.
# The cheap properties (one request an example) try more examples than the slot pages.
hostile = settings(max_examples=60)
many = settings(hostile, max_examples=100)

SERVICE = "follow-up-treatment"  # both practitioners offer it: "first available" has a choice


# --- what every answer must satisfy -------------------------------------------------------

RAW_PAYLOAD_STARTS = [
    f"<script>{hs.MARKER}",
    f"<img src=x onerror={hs.MARKER}",
    f"<svg/onload={hs.MARKER}",
    f"<a href=javascript:{hs.MARKER}",
]


def assert_no_unescaped_echo(response) -> None:
    """The payload may come back as text, never as markup: no tag or attribute it made."""
    body = response.content.decode("utf-8", errors="replace")
    for start in RAW_PAYLOAD_STARTS:
        assert start not in body, f"unescaped echo of {start!r}"
    if "html" not in response.get("Content-Type", ""):
        return
    page = BeautifulSoup(body, "html.parser")
    for tag in page.find_all(True):
        # The public site has no JavaScript at all, so any event handler was injected.
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"injected attribute {handlers} on <{tag.name}>"
        if tag.name in {"script", "svg", "img"}:
            assert hs.MARKER not in str(tag), f"injected <{tag.name}>"
        href = tag.get("href") or ""
        assert not (isinstance(href, str) and href.lower().startswith("javascript:"))


def assert_sound(response, *, appointments_before: int | None = None) -> None:
    where = "/".join(response.request["PATH_INFO"].split("/")[:3])
    event(f"{response.request['REQUEST_METHOD']} {where}/… answered {response.status_code}")
    assert response.status_code < 500, response.content[:2000]
    if appointments_before is not None:
        assert Appointment.objects.count() == appointments_before
    assert_no_unescaped_echo(response)


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_rate_limits(settings, monkeypatch):
    """The per-address limits would turn most examples into 429s and hide the property
    (test_abuse.py checks the limits themselves)."""
    settings.BOOKING_SUBMISSIONS_PER_HOUR = 10**9
    settings.TOKEN_GUESSES_PER_HOUR = 10**9


@pytest.fixture
def ctx() -> hs.SlotContext:
    now = timezone.now()
    monday = next_weekday(0, weeks_ahead=2)
    service = Service.objects.get(slug=SERVICE)
    free = selectors.slot_list_free(
        service=service, practitioner=None, first_day=monday, days=7, now=now
    )
    assert free, "the demo practice offers no time to test with"
    return hs.SlotContext(
        now=now,
        free=tuple((slot.start, slot.practitioner_id) for slot in free[::7]),
        practitioner_ids=tuple(Practitioner.objects.values_list("pk", flat=True)),
        horizon_days=selectors.booking_policy_get().booking_horizon_days,
        working_day=monday,
    )


def fresh_example() -> None:
    cache.clear()


def remove_bookings() -> None:
    """Undo what an example booked, so the next one finds the same free times."""
    Intake.objects.all().delete()
    Appointment.objects.all().delete()
    Patient.objects.all().delete()


def valid_details() -> dict:
    """What the details step keeps: the form's answers without its anti-bot fields."""
    data = details_data()
    del data["website"]
    return data


def valid_answers() -> dict:
    answers = intake.no_answers()
    answers.update(pain_areas=["lower_back"], pain_duration="over_3_months", pain_onset="posture")
    return {"pain_score": 6, "answers": {**answers, "pain_score": 6}}


def full_draft(client, *, start: dt.datetime, practitioner_id=None, slot_practitioner_id=None):
    return seed(
        client,
        service_id=Service.objects.get(slug=SERVICE).pk,
        practitioner_id=practitioner_id,
        slot_practitioner_id=slot_practitioner_id,
        start=start.isoformat(),
        details=valid_details(),
        intake_kind="new",
        intake=valid_answers(),
    )


def in_query(value: str) -> str:
    return urllib.parse.quote(value, safe="")


raw_query_bytes = st.binary(max_size=40).map(lambda b: urllib.parse.quote_from_bytes(b, safe=""))


# --- step 1: the session and the practitioner ---------------------------------------------


def test_step_one_takes_only_an_offered_session_and_practitioner(client):
    offered = set(selectors.service_list_public().values_list("pk", flat=True))
    practitioners = set(Practitioner.objects.filter(is_active=True).values_list("pk", flat=True))
    gives = set(Service.practitioners.through.objects.values_list("service_id", "practitioner_id"))
    numbers = st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(sorted(offered | practitioners)).map(str),
        st.sampled_from(
            ["\u00b2", "\u0661", "\u09e9", "\U0001d7d9", "1_0", " 1 ", "+1", "0x1", "1.0"]
        ),
    )
    anything = st.one_of(hs.wild_text(), numbers)

    @settings(hostile, max_examples=100)
    @given(
        service=anything,
        who=anything,
        source=st.one_of(anything, raw_query_bytes),
        query_service=st.one_of(anything, raw_query_bytes),
    )
    @example(service="1", who="\u00b2", source="\u00b2", query_service="\x00")
    @example(  # a session with someone who does not give it
        service=str(Service.objects.get(slug="new-patient-visit").pk),
        who=str(practitioner("omar-haddad").pk),
        source="",
        query_service="",
    )
    @example(service="9" * 5000, who="1e309", source="9" * 5000, query_service="%00")
    def check(service, who, source, query_service):
        fresh_example()
        seed(client)
        shown = client.get(f"/book/?service={in_query(query_service)}&source={in_query(source)}")
        assert_sound(shown, appointments_before=0)
        posted = client.post("/book/", {"service": service, "practitioner": who})
        assert_sound(posted, appointments_before=0)
        draft = draft_of(client)
        if posted.status_code == 302:
            assert draft.service_id in offered
            # "First available", or someone who gives that session.
            assert draft.practitioner_id is None or (draft.service_id, draft.practitioner_id) in (
                gives
            )
        else:
            assert posted.status_code == 200 and draft.service_id is None

    check()


# --- step 2: the time ---------------------------------------------------------------------


def test_step_two_takes_only_a_free_time_as_offered(client, ctx):
    service = Service.objects.get(slug=SERVICE)

    @hostile
    @given(
        slot=hs.slot_value(ctx),
        chosen=st.sampled_from([None, *ctx.practitioner_ids]),
        week=st.one_of(hs.wild_text(), st.sampled_from(hs.BROKEN_DATES), raw_query_bytes),
    )
    @example(slot=hs.Hostile("0001-01-01T00:00:00+23:59|1", True, "garbage"), chosen=None, week="")
    @example(
        slot=hs.Hostile("9999-12-31T23:59:59-23:59|1", True, "garbage"),
        chosen=None,
        week="9999-12-31",
    )
    def check(slot, chosen, week):
        fresh_example()
        seed(client, service_id=service.pk, practitioner_id=chosen)
        shown = client.get(f"/book/time/?week={in_query(week)}")
        assert_sound(shown, appointments_before=0)
        posted = client.post("/book/time/", {"slot": slot.value})
        assert_sound(posted, appointments_before=0)
        draft = draft_of(client)
        if slot.definitely_invalid:
            assert posted.status_code == 400 and draft.start is None
        if posted.status_code == 302:
            start, practitioner_id = parse_slot_choice(slot.value)
            free = selectors.slot_list_free(
                service=service,
                practitioner=Practitioner.objects.filter(pk=chosen).first(),
                first_day=start.astimezone(hs.TZ).date(),
                days=1,
                now=timezone.now(),
            )
            assert (start, practitioner_id) in {(s.start, s.practitioner_id) for s in free}
            assert draft.start_at() == start and draft.slot_practitioner_id == practitioner_id

    check()


# --- step 3: the patient's details --------------------------------------------------------


def _details_fields(today: dt.date):
    """What each field may get instead of its valid value: left out (...) or hostile."""
    left_out = st.just(Ellipsis)
    bad_emails = st.sampled_from(
        ["ada", "ada@", "@example.com", "ada@@example.com", "ada@example..com", "a da@x.com"]
    ).map(lambda v: hs.Hostile(v, True, "bad-email"))
    return {
        "first_name": st.one_of(left_out, hs.free_text(100, required=True)),
        "last_name": st.one_of(left_out, hs.free_text(100, required=True)),
        "email": st.one_of(left_out, bad_emails, hs.free_text(254, required=True)),
        "phone": st.one_of(left_out, hs.free_text(40, required=True)),
        "date_of_birth": st.one_of(left_out, hs.date_of_birth(today)),
        "website": st.one_of(
            left_out,
            hs.wild_text()
            .filter(lambda v: v.strip())
            .map(lambda v: hs.Hostile(v, True, "honeypot")),
        ),
    }


REQUIRED_DETAILS = {"first_name", "last_name", "email", "phone", "date_of_birth"}


def test_step_three_refuses_invalid_details_and_never_echoes_markup(client, ctx):
    service = Service.objects.get(slug=SERVICE)
    start, who = ctx.free[0]
    today = timezone.localdate()

    @many
    @given(changes=hs.a_few_changed(_details_fields(today)))
    @example(changes={"website": hs.Hostile("http://spam.example", True, "honeypot")})
    @example(changes={"date_of_birth": hs.Hostile("2026-02-30", True, "broken-date")})
    @example(changes={"first_name": hs.Hostile(hs.MARKUP[1], False, "markup")})
    @example(changes={"phone": hs.Hostile(hs.MARKUP[3][:40], False, "markup")})
    @example(changes={"last_name": hs.Hostile("Ada\x00", True, "nul")})
    def check(changes):
        fresh_example()
        seed(client, service_id=service.pk, start=start.isoformat(), slot_practitioner_id=who)
        data = details_data()
        invalid = False
        for name, change in changes.items():
            if change is Ellipsis:
                del data[name]
                invalid |= name in REQUIRED_DETAILS
            elif change is not None:
                data[name] = change.value
                invalid |= change.definitely_invalid
                if name in DETAIL_GROUP:  # sent by the second page, after a "Yes"
                    data[DETAILS_SHOWN] = "1"
                    if DETAIL_GROUP[name] not in changes:
                        data[DETAIL_GROUP[name]] = SOME
        response = client.post("/book/details/", data)
        assert_sound(response, appointments_before=0)
        draft = draft_of(client)
        if invalid:
            assert response.status_code == 400, data
            assert draft.details == {}
            return
        if response.status_code == 302:
            saved = draft.details
            for name in ("first_name", "last_name", "phone"):
                assert 0 < len(saved[name]) <= {"phone": 40}.get(name, 100)
                assert "\x00" not in saved[name]
            born = dt.date.fromisoformat(saved["date_of_birth"])
            assert today.replace(year=today.year - 120) <= born <= today
            # What was accepted is shown again on the review page: as text, never markup.
            seed(client, **{**asdict(draft), "intake": valid_answers()})
            assert_sound(client.get("/book/review/"), appointments_before=0)

    check()


# --- step 4: the health questions ---------------------------------------------------------


def _consent():
    return st.one_of(
        st.just(Ellipsis),
        st.sampled_from(["", "false", "False", "FALSE"]).map(
            lambda v: hs.Hostile(v, True, "consent-refused")
        ),
    )


DETAIL_GROUP = {group.detail: group.name for group in GROUPS}


def _checklist(name: str):
    """A second page's ticks (its group answered "Yes"): a real sign ticked (valid: the
    stop page may answer), a value not in the list, or nothing ticked at all (invalid:
    "None of these" is asked for)."""
    keys = list(dict(ReturningPatientIntakeForm().fields[name].choices))
    real = [k for k in keys if k != questions.NONE_OF_THESE]
    return st.one_of(
        st.lists(st.sampled_from(real), min_size=1, max_size=3, unique=True).map(
            lambda ticked: hs.Hostile(ticked, False, "ticked")
        ),
        st.just(hs.Hostile([], True, "none-ticked")),
        st.just(hs.Hostile([questions.NONE_OF_THESE, real[0]], True, "none-and-a-sign")),
        hs.bad_checkboxes(keys),
    )


def _intake_fields(returning: bool):
    """What each answer may get instead of its valid value: left out (...) or hostile."""
    left_out = st.just(Ellipsis)
    fields = {
        "pain_score": st.one_of(left_out, hs.pain_score()),
        **{name: _checklist(name) for name in DETAIL_GROUP},
        **{name: hs.bad_choice([value for value, _ in GROUP_CHOICES]) for name in CHECKLISTS},
    }
    if returning:
        fields["changes"] = st.one_of(left_out, hs.free_text(2000, required=True))
        fields["new_medications"] = st.one_of(left_out, hs.free_text(1000))
        return fields
    areas = [value for value, _ in questions.PAIN_AREAS]
    fields.update(
        pain_areas=st.one_of(left_out, hs.bad_checkboxes(areas)),
        pain_elsewhere=st.one_of(left_out, hs.free_text(200)),
        pain_duration=st.one_of(left_out, hs.bad_choice([v for v, _ in questions.PAIN_DURATION])),
        pain_onset=st.one_of(left_out, hs.bad_choice([v for v, _ in questions.PAIN_ONSET])),
        worse=st.one_of(left_out, hs.free_text(1000)),
        better=st.one_of(left_out, hs.free_text(1000)),
        earlier_treatments=st.one_of(
            left_out, hs.bad_checkboxes([v for v, _ in questions.EARLIER_TREATMENTS])
        ),
        medications=st.one_of(left_out, hs.free_text(1000)),
        allergies=st.one_of(left_out, hs.free_text(1000)),
        surgeries=st.one_of(left_out, hs.free_text(1000)),
        conditions=st.one_of(left_out, hs.free_text(1000)),
        emergency_contact=st.one_of(left_out, hs.free_text(200)),
        referral=st.one_of(left_out, hs.bad_choice([v for v, _ in questions.REFERRAL])),
    )
    return fields


OPTIONAL_ANSWERS = {
    "pain_elsewhere",
    "worse",
    "better",
    "earlier_treatments",
    "medications",
    "allergies",
    "surgeries",
    "conditions",
    "emergency_contact",
    "referral",
    "new_medications",
}


@pytest.mark.parametrize("returning", [False, True], ids=["new", "returning"])
def test_step_four_refuses_invalid_answers_and_never_books(client, ctx, returning):
    service = Service.objects.get(slug=SERVICE)
    start, who = ctx.free[0]

    @many
    @given(changes=hs.a_few_changed(_intake_fields(returning)))
    @example(changes={"pain_score": hs.Hostile("11", True, "bad-number")})
    @example(changes={"pain_score": hs.Hostile("-1", True, "bad-number")})
    @example(changes={"pain_score": hs.Hostile("1e309", True, "bad-number")})
    @example(changes={"pain_score": hs.Hostile("NaN", True, "bad-number")})
    @example(changes={"doctor_detail": hs.Hostile(["red_fever"], False, "ticked")})
    @example(changes={"emergency_detail": hs.Hostile(["red_stroke_signs"], False, "ticked")})
    @example(changes={"emergency_signs": hs.Hostile("yes", True, "bad-choice")})
    def check(changes):
        fresh_example()
        seed(
            client,
            service_id=service.pk,
            start=start.isoformat(),
            slot_practitioner_id=who,
            details=valid_details(),
            intake_kind="returning" if returning else "new",
        )
        data = intake_data(returning=returning)
        invalid = False
        for name, change in changes.items():
            if change is Ellipsis:
                data.pop(name, None)
                invalid |= name not in OPTIONAL_ANSWERS
            elif change is not None:
                data[name] = change.value
                invalid |= change.definitely_invalid
                if name in DETAIL_GROUP:  # sent by the second page, after a "Yes"
                    data[DETAILS_SHOWN] = "1"
                    if DETAIL_GROUP[name] not in changes:
                        data[DETAIL_GROUP[name]] = SOME
        response = client.post("/book/health-questions/", data)
        assert_sound(response, appointments_before=0)
        draft = draft_of(client)
        if invalid:
            assert response.status_code == 400, {k: repr(v)[:80] for k, v in data.items()}
            assert draft.intake == {}
            return
        if response.status_code == 302 and response["Location"] == reverse("booking:review"):
            assert draft.intake["pain_score"] in range(11)
            assert intake.urgency(draft.intake["answers"], age=40) is None
            assert_sound(client.get("/book/review/"), appointments_before=0)

    check()


# --- step 5: review and confirm -----------------------------------------------------------


def _idempotency_keys():
    return st.one_of(
        st.just("draft"),
        st.just(Ellipsis),
        st.uuids().map(str),
        st.uuids().map(lambda u: "{" + str(u).upper() + "}"),
        st.uuids().map(lambda u: f"urn:uuid:{u}"),
        hs.wild_text(),
    )


def _consent_sent(consent) -> dict:
    """The summary's consent boxes: both ticked (None), one left out (its name), or the
    treatment consent left out (Ellipsis) or refused (a Hostile value)."""
    data = dict(CONSENT)
    if isinstance(consent, str):
        del data[consent]
    elif consent is Ellipsis:
        del data["consent_treatment"]
    elif consent is not None:
        data["consent_treatment"] = consent.value
    return data


def test_confirming_books_only_a_free_time_whatever_the_hidden_fields_say(client, ctx):
    service = Service.objects.get(slug=SERVICE)

    @many
    @given(
        booked=st.sampled_from(ctx.free),
        chosen=st.sampled_from([None, *ctx.practitioner_ids]),
        key=_idempotency_keys(),
        slot=st.one_of(st.just(None), hs.slot_value(ctx)),
        consent=st.one_of(st.just(None), st.sampled_from(sorted(CONSENT)), _consent()),
    )
    @example(booked=ctx.free[0], chosen=None, key="0", slot=None, consent=None)
    @example(
        booked=ctx.free[0],
        chosen=None,
        key="draft",
        slot=hs.Hostile("0001-01-01T00:00:00+23:59|1", True, "garbage"),
        consent=None,
    )
    @example(booked=ctx.free[0], chosen=None, key="draft", slot=None, consent="policies_ack")
    def check(booked, chosen, key, slot, consent):
        """``consent``: None ticks both boxes; a box's name leaves it out; a Hostile value
        (or Ellipsis, left out) stands for the treatment consent."""
        fresh_example()
        start, who = booked
        draft = full_draft(client, start=start, practitioner_id=chosen, slot_practitioner_id=who)
        data = _consent_sent(consent)
        if key is not Ellipsis:
            data["idempotency_key"] = draft.idempotency_key if key == "draft" else key
        if slot is not None:
            data["slot"] = slot.value
        try:
            response = client.post("/book/review/", data)
            assert_sound(response)
            made = list(Appointment.objects.select_related("practitioner"))
            assert len(made) <= 1
            if consent is not None:  # not given: nothing booked, the summary asks again
                assert made == [] and response.status_code == 400, consent
                return
            # A slot that is not one at all is ignored, as if none were sent; a well-formed
            # one replaces the draft's time and must then be free.
            choice = parse_slot_choice(slot.value) if slot is not None else None
            if choice is not None and slot.definitely_invalid:
                assert made == [], slot
                assert response.status_code == 409
            if made:
                [appointment] = made
                wanted = choice[0] if choice is not None else start
                assert appointment.starts_at == wanted
                if chosen is not None:
                    assert appointment.practitioner_id == chosen
                # It was free for that practitioner: remove it and it is offered again.
                appointment.delete()
                free = selectors.slot_list_free(
                    service=service,
                    practitioner=appointment.practitioner,
                    first_day=wanted.astimezone(hs.TZ).date(),
                    days=1,
                    now=timezone.now(),
                )
                assert wanted in {s.start for s in free}
                assert response.status_code == 302
        finally:
            remove_bookings()

    check()


STEPS = ["service", "time", "details", "intake"]
STEP_URLS = ["/book/time/", "/book/details/", "/book/health-questions/", "/book/review/"]


def test_skipped_steps_never_book_and_lead_back_to_the_first_missing_one(client, ctx):
    service = Service.objects.get(slug=SERVICE)
    start, who = ctx.free[0]

    @many
    @given(
        present=st.sets(st.sampled_from(STEPS)).filter(lambda s: s != set(STEPS)),
        url=st.sampled_from(STEP_URLS),
        post=st.dictionaries(
            st.sampled_from(["idempotency_key", "slot", "service", "pain_score", "first_name"]),
            hs.wild_text(),
            max_size=3,
        ),
    )
    def check(present, url, post):
        fresh_example()
        fields = {}
        if "service" in present:
            fields["service_id"] = service.pk
        if "time" in present:
            fields.update(start=start.isoformat(), slot_practitioner_id=who)
        if "details" in present:
            fields.update(details=valid_details(), intake_kind="new")
        if "intake" in present:
            fields["intake"] = valid_answers()
        seed(client, **fields)
        response = client.post(url, post)
        assert_sound(response, appointments_before=0)
        first_missing = next(step for step in STEPS if step not in present)
        required_before = STEPS[: STEP_URLS.index(url) + 1]
        if first_missing in required_before:
            assert response.status_code == 302
            assert response["Location"] == reverse(
                {
                    "service": "booking:start",
                    "time": "booking:time",
                    "details": "booking:details",
                    "intake": "booking:intake",
                }[first_missing]
            )

    check()


# --- the manage link ----------------------------------------------------------------------


@pytest.fixture
def appointment():
    return book(start=local(next_weekday(0, weeks_ahead=3), 10), service=SERVICE)


def test_a_tampered_manage_link_finds_nothing_and_changes_nothing(client, appointment):
    token = manage_token(appointment)

    @many
    @given(
        bad=hs.token_tampering(token),
        action=st.sampled_from(["booking:manage", "booking:cancel", "booking:reschedule"]),
        method=st.sampled_from(["get", "post"]),
        slot=hs.wild_text(),
    )
    def check(bad, action, method, slot):
        fresh_example()
        url = reverse(action, args=[bad])
        response = getattr(client, method)(url, {"slot": slot} if method == "post" else {})
        assert_sound(response, appointments_before=1)
        assert response.status_code in {404, 405}
        appointment.refresh_from_db()
        assert appointment.status == "confirmed"

    check()


def test_moving_through_the_link_accepts_only_a_free_time(client, ctx, appointment):
    token = manage_token(appointment)
    original = {
        field: getattr(appointment, field)
        for field in ("starts_at", "ends_at", "blocked_until", "sequence", "status")
    }
    rosa = practitioner()

    @hostile
    @given(
        slot=hs.slot_value(ctx),
        week=st.one_of(hs.wild_text(), st.sampled_from(hs.BROKEN_DATES)),
    )
    @example(slot=hs.Hostile("0001-01-01T00:00:00+23:59|1", True, "garbage"), week="")
    def check(slot, week):
        fresh_example()
        Appointment.objects.filter(pk=appointment.pk).update(**original)
        url = reverse("booking:reschedule", args=[token])
        assert_sound(client.get(f"{url}?week={in_query(week)}"), appointments_before=1)
        response = client.post(url, {"slot": slot.value})
        assert_sound(response, appointments_before=1)
        moved = Appointment.objects.get(pk=appointment.pk)
        if slot.definitely_invalid:
            assert moved.starts_at == original["starts_at"], slot
            assert response.status_code == 400
        if moved.starts_at != original["starts_at"]:
            Appointment.objects.filter(pk=appointment.pk).update(**original)
            free = selectors.slot_list_free(
                service=appointment.service,
                practitioner=rosa,
                first_day=moved.starts_at.astimezone(hs.TZ).date(),
                days=1,
                now=timezone.now(),
                exclude_appointment=appointment,  # its own time counts as free when moving
            )
            assert moved.starts_at in {s.start for s in free}
            assert moved.ends_at - moved.starts_at == original["ends_at"] - original["starts_at"]

    check()


# --- the articles' search and topic filter ------------------------------------------------


def test_article_search_and_topic_filter_survive_anything(client):
    anything = st.one_of(
        hs.wild_text(),
        raw_query_bytes,
        st.sampled_from(['"', "'", "AND", "OR NOT", "*", "(", ")", "-", ":", "\\", "%", "_"]),
    )

    @hostile
    @given(q=anything, topic=anything, page=st.one_of(anything, st.integers().map(str)))
    @example(q='"', topic="", page="")
    @example(q="\x00", topic="\x00", page="\x00")
    @example(q=hs.MARKUP[0], topic=hs.MARKUP[1], page="1e309")
    def check(q, topic, page):
        fresh_example()
        for url in [
            f"/articles/?q={in_query(q)}",
            f"/articles/?topic={in_query(topic)}&page={in_query(page)}",
            f"/articles/?q={in_query(q)}&topic={in_query(topic)}&page={in_query(page)}",
        ]:
            response = client.get(url)
            assert_sound(response, appointments_before=0)
            # A made-up topic or page number is a 404 (never a cached copy of the list).
            assert response.status_code in {200, 404}

    check()


# --- regressions: what the properties above found, each as a plain test -------------------


@pytest.mark.parametrize("slot", ["0001-01-01T00:00:00+23:59|1", "9999-12-31T23:59:59-23:59|1"])
def test_a_time_at_the_ends_of_the_calendar_is_refused_not_a_server_error(client, slot):
    seed(client, service_id=Service.objects.get(slug=SERVICE).pk)
    response = client.post("/book/time/", {"slot": slot})
    assert response.status_code == 400
    assert "Choose one of the times below." in response.content.decode()


def test_a_slot_at_the_end_of_the_calendar_is_ignored_when_confirming(client, ctx):
    full_draft(client, start=ctx.free[0][0])
    response = client.post("/book/review/", {"slot": "9999-12-31T23:59:59-23:59|1", **CONSENT})
    assert response.status_code == 302  # as if no slot were sent: the draft's time is booked
    assert Appointment.objects.get().starts_at == ctx.free[0][0]


def test_moving_to_a_time_at_the_ends_of_the_calendar_is_refused(client, appointment):
    url = reverse("booking:reschedule", args=[manage_token(appointment)])
    response = client.post(url, {"slot": "0001-01-01T00:00:00+23:59|1"})
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.starts_at == local(next_weekday(0, weeks_ahead=3), 10)


def test_an_idempotency_key_that_is_not_a_uuid_books_once_with_the_drafts_key(client, ctx):
    draft = full_draft(client, start=ctx.free[0][0])
    response = client.post("/book/review/", {"idempotency_key": "0", **CONSENT})
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert booked.idempotency_key == uuid.UUID(draft.idempotency_key)


@pytest.mark.parametrize("source", ["\u00b2", "9" * 5000])
def test_a_source_that_is_not_a_page_id_is_ignored(client, source):
    response = client.get("/book/", {"source": source})
    assert response.status_code == 200
    assert draft_of(client) is None or draft_of(client).source_page_id is None


@pytest.mark.parametrize("asked", ["\x00", "follow-up-treatment\x00", "<b>"])
def test_a_service_in_the_address_that_is_not_a_slug_is_ignored(client, soup, asked):
    # On PostgreSQL a NUL reached the query and failed it (a server error).
    response = client.get("/book/", {"service": asked})
    assert response.status_code == 200
    assert not soup(response).select('input[name="service"][checked]')


def test_a_service_in_the_address_leads_to_its_times_and_stays_chosen(client, soup):
    follow_up = Service.objects.get(slug=SERVICE)
    assert client.get("/book/", {"service": SERVICE})["Location"] == "/book/time/"
    page = soup(client.get("/book/"))  # "Change": the session chosen is checked
    assert [i["value"] for i in page.select('input[name="service"][checked]')] == [
        str(follow_up.pk)
    ]


def test_an_article_search_with_a_quote_or_a_nul_answers_and_still_finds(client, soup):
    # One test, not one per query: the first listing of a test draws the cards' images.
    for query in ['"', 'back "pain', "neck\x00", "\x00"]:
        assert client.get("/articles/", {"q": query}).status_code == 200
    plain = soup(client.get("/articles/", {"q": "neck"})).select(".card__title")
    quoted = soup(client.get("/articles/", {"q": '"neck"'})).select(".card__title")
    assert plain
    assert [t.get_text(strip=True) for t in quoted] == [t.get_text(strip=True) for t in plain]


def test_a_session_cannot_be_booked_with_someone_who_does_not_give_it(client, soup):
    omar = practitioner("omar-haddad")
    new_patient = Service.objects.get(slug="new-patient-visit")
    assert not omar.services.filter(pk=new_patient.pk).exists()
    response = client.post("/book/", {"service": new_patient.pk, "practitioner": omar.pk})
    assert response.status_code == 200
    assert "does not give this session" in soup(response).select_one("#div_id_practitioner").text
    assert draft_of(client) is None or draft_of(client).service_id is None
    follow_up = Service.objects.get(slug=SERVICE)
    allowed = client.post("/book/", {"service": follow_up.pk, "practitioner": omar.pk})
    assert allowed.status_code == 302
