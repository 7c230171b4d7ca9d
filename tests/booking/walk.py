"""Helpers for walking through booking as a patient would."""

import datetime as dt
import re
import uuid
from types import SimpleNamespace

from booking import questions
from booking.draft import SESSION_KEY, BookingDraft
from booking.forms import ReturningPatientIntakeForm
from booking.forms.screening import DETAILS, DETAILS_SHOWN, GROUPS, PREGNANCY_DETAIL, SOME
from booking.models import Service
from tests.clock import next_weekday


def details_data(**overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "(555) 010-0101",
        "date_of_birth": "1980-05-01",
        "website": "",
    }
    data.update(overrides)
    return data


def _detail_of(question_key: str) -> str:
    """Which detailed list of the form asks this question (e.g. ``red_weakness``)."""
    fields = ReturningPatientIntakeForm().fields
    return next(name for name in DETAILS if question_key in dict(fields[name].choices))


def intake_data(*, returning: bool = False, **overrides) -> dict:
    """The intake form as sent with nothing to report. An override named after a question
    (``red_weakness="yes"``) answers its group "Yes" and ticks it on the second page, as the
    second page sends the whole form; any other override sets that field."""
    ticked = {name: [] for name in DETAILS}
    for key in [k for k in overrides if k in questions.QUESTIONS]:
        if overrides.pop(key) == "yes":
            ticked[_detail_of(key)].append(key)
    if ticked[PREGNANCY_DETAIL]:
        ticked["precautions_detail"].append("screen_pregnancy")
    data = {
        "pain_score": "6",
        "consent_treatment": "on",
    }
    if returning:
        data["changes"] = "Less stiff in the mornings."
    else:
        data.update(
            {
                "policies_ack": "on",
                "pain_areas": ["lower_back"],
                "pain_duration": "over_3_months",
                "pain_onset": "posture",
                "worse": "Sitting for long",
            }
        )
    for group in GROUPS:
        keys = ticked[group.detail]
        data[group.name] = SOME if keys else questions.NONE_OF_THESE
        if keys:
            data[group.detail] = keys
            data[DETAILS_SHOWN] = "1"
    if "screen_pregnancy" in ticked["precautions_detail"]:
        data[PREGNANCY_DETAIL] = ticked[PREGNANCY_DETAIL] or [questions.NONE_OF_THESE]
    data.update(overrides)
    return data


def emailed_code(to: str = "ada@example.com") -> str:
    """The six-digit code in the latest email to ``to``."""
    from django.core import mail

    sent = [m for m in mail.outbox if [a.lower() for a in m.to] == [to.lower()]]
    assert sent, f"no email to {to}"
    return re.search(r"\b(\d{6})\b", sent[-1].body).group(1)


def prove_email(client, details: dict | None = None):
    """The details step as a returning patient sends it: "I have been here before", then
    the code from the email. Returns the code step's answer (a redirect to the questions)."""
    details = {**(details or details_data()), "been_before": "on"}
    sent = client.post("/book/details/", details)
    assert sent["Location"] == "/book/details/code/", sent.content[:2000]
    return client.post("/book/details/code/", {"code": emailed_code(details["email"])})


def first_slot(response) -> str:
    match = re.search(r'name="slot" id="[^"]+" value="([^"]+)"', response.content.decode())
    assert match, "no free time offered"
    return match.group(1)


def later_week(path: str = "/book/time/") -> str:
    """A time picker (the time step, or a manage link's move page) showing a coming week,
    clear of the notice and the change window, so what is booked there can still be moved
    or cancelled online on any day the suite runs."""
    return f"{path}?week={next_weekday(0).isoformat()}"


def slot_value(start: dt.datetime, practitioner_id: int) -> str:
    return f"{start.astimezone(dt.UTC).isoformat()}|{practitioner_id}"


# The consent on the summary (a returning patient's one box ignores the second).
CONSENT = {"consent_treatment": "on", "policies_ack": "on"}


def walk_to_review(
    client,
    *,
    service: str = "new-patient-visit",
    slot: str | None = None,
    details: dict | None = None,
    answers: dict | None = None,
    source: int | None = None,
    returning: bool = False,
):
    """Service, time, details and intake, as the patient's browser would send them;
    ``returning``: through "I have been here before" and the emailed code."""
    service_obj = Service.objects.get(slug=service)
    query = f"?service={service}" + (f"&source={source}" if source else "")
    # A link naming the session leads straight to its times; the form of step 1 still works.
    assert client.get("/book/" + query)["Location"] == "/book/time/"
    assert client.post("/book/", {"service": service_obj.pk, "practitioner": ""}).status_code == 302
    slot = slot or first_slot(client.get(later_week()))
    response = client.post("/book/time/", {"slot": slot})
    assert response.status_code == 302, response.content[:2000]
    if returning:
        response = prove_email(client, details)
    else:
        response = client.post("/book/details/", details or details_data())
    assert response.status_code == 302, response.content[:3000]
    response = client.post("/book/health-questions/", answers or intake_data())
    return response, slot


def confirm(client):
    page = client.get("/book/review/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return client.post("/book/review/", {"idempotency_key": key, **CONSENT}), uuid.UUID(key)


def seed(client, **fields) -> BookingDraft:
    """Puts the visitor's booking draft in their session, as the earlier steps would have
    (through the draft's own ``save``, which seals the details and answers)."""
    draft = BookingDraft(**fields)
    session = client.session
    draft.save(SimpleNamespace(session=session))
    session.save()
    return draft


def draft_of(client) -> BookingDraft | None:
    session = client.session
    if SESSION_KEY not in session:
        return None
    return BookingDraft.load(SimpleNamespace(session=session))


def form_of(response) -> str:
    """The page's form, without the visitor's own CSRF token."""
    page = response.content.decode()
    form = page[page.index("<form") : page.index("</form>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)
