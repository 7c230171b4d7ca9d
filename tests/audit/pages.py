"""The pages the audits look at, and the ways to reach each one.

Every public page type and every state of booking a patient can see, errors
included: the audits are only as good as this list. The Django test client
walks it for the checks that read HTML (labels, the Nu Html Checker); the axe
tests walk the same steps in Chromium.
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.test import Client

from booking.models import Service
from tests.booking.walk import (
    confirm,
    details_data,
    emailed_code,
    first_slot,
    intake_data,
    later_week,
)
from tests.factories.bookings import seen_before

# One of each public page type. The article and topic are from the demo content.
PUBLIC_PAGES = {
    "home": "/",
    "article index": "/articles/",
    "topic filter": "/articles/?topic=neck-pain",
    "search results": "/articles/?q=neck",
    "search, no results": "/articles/?q=zebra+crossing",
    "article": "/articles/your-first-visit/",
    "about": "/about/",
    "faq": "/faq/",
    "privacy notice": "/privacy-notice/",
    "404": "/no-such-page/",
}

INVALID_DETAILS = {
    "email": "not an email",
    "phone": "",
    "date_of_birth": "2999-01-01",
}


def shown_path(url: str) -> str:
    """The path of ``url`` with the manage link's secret left out, for printing."""
    path = re.sub(r"^https?://[^/]+", "", url)
    return re.sub(r"/appointment/[^/]+/", "/appointment/<token>/", path)


@dataclass
class Seen:
    name: str
    path: str
    status: int
    html: str


# A browser always sends the CSRF token, so a form sent empty is still a bound form.
EMPTY = {"csrfmiddlewaretoken": "not-checked-by-the-test-client"}


def _seen(name: str, path: str, response, expected: int) -> Seen:
    assert response.status_code == expected, (name, response.status_code)
    html = response.content.decode()
    if "empty" in name or "invalid" in name or "chosen" in name:
        assert 'class="error-summary"' in html, f"{name}: no error summary"
    return Seen(name, path, response.status_code, html)


def public_pages(client: Client) -> list[Seen]:
    return [
        _seen(name, path, client.get(path), 404 if name == "404" else 200)
        for name, path in PUBLIC_PAGES.items()
    ]


def walk_to_details(client: Client, *, service: str = "new-patient-visit") -> None:
    """The first two steps, as a patient's browser sends them."""
    service_id = Service.objects.get(slug=service).pk
    assert client.post("/book/", {"service": service_id}).status_code == 302
    assert client.post("/book/time/", {"slot": first_slot(client.get(later_week()))}).status_code
    assert client.get("/book/details/").status_code == 200


def booking_pages(client: Client) -> list[Seen]:
    """Every booking step in order, each form also sent empty or wrong, then the manage link."""
    seen = [
        _seen("book: service", "/book/", client.get("/book/"), 200),
        _seen("book: service, nothing chosen", "/book/", client.post("/book/", EMPTY), 200),
    ]
    walk_to_details(client)
    seen += [
        _seen("book: time", "/book/time/", client.get("/book/time/"), 200),
        _seen("book: time, none chosen", "/book/time/", client.post("/book/time/", EMPTY), 400),
        _seen("book: details", "/book/details/", client.get("/book/details/"), 200),
        _seen("book: details, empty", "/book/details/", client.post("/book/details/", EMPTY), 400),
        _seen(
            "book: details, invalid",
            "/book/details/",
            client.post("/book/details/", details_data(**INVALID_DETAILS)),
            400,
        ),
    ]
    assert client.post("/book/details/", details_data()).status_code == 302
    intake = "/book/health-questions/"
    seen += [
        _seen("book: health questions", intake, client.get(intake), 200),
        _seen("book: health questions, empty", intake, client.post(intake, EMPTY), 400),
        _seen(
            "book: health questions, tell us which",
            intake,
            client.post(intake, intake_data(doctor_signs="some")),
            200,
        ),
        _seen(
            "book: health questions, tell us which, empty",
            intake,
            client.post(intake, intake_data(doctor_signs="some", details_shown="1")),
            400,
        ),
    ]
    assert client.post(intake, intake_data()).status_code == 302
    review = client.get("/book/review/")
    seen.append(_seen("book: review", "/book/review/", review, 200))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.content.decode()).group(1)
    no_consent = client.post("/book/review/", {"idempotency_key": key})
    seen.append(_seen("book: review, no consent", "/book/review/", no_consent, 400))
    confirmed, _ = confirm(client)
    manage = confirmed.url
    seen.append(_seen("book: confirmation", manage, client.get(manage), 200))
    seen += _returning_patient(client)
    seen += [
        _seen("manage", manage, client.get(manage), 200),
        _seen("manage: move", manage + "change/", client.get(manage + "change/"), 200),
        _seen(
            "manage: move, none chosen",
            manage + "change/",
            client.post(manage + "change/", EMPTY),
            400,
        ),
        _seen("manage: cancel?", manage + "cancel/", client.get(manage + "cancel/"), 200),
        _seen("manage: cancelled", manage, _after(client.post(manage + "cancel/"), client), 200),
        _seen(
            "book: see a doctor first",
            "/book/see-a-doctor-first/",
            client.get("/book/see-a-doctor-first/"),
            200,
        ),
    ]
    return seen


def _after(response, client: Client):
    """The page a form's redirect leads to, as the browser would load it."""
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def _returning_patient(client: Client) -> list[Seen]:
    """The short intake, asked of someone seen before (the patient just booked, with a
    visit kept some weeks ago)."""
    seen_before(email=details_data()["email"])
    walk_to_details(client, service="follow-up-treatment")
    asked = client.post("/book/details/", {**details_data(), "been_before": "on"})
    code = "/book/details/code/"
    seen = [
        _seen("book: the code from your email", code, _after(asked, client), 200),
        _seen("book: the code from your email, empty", code, client.post(code, EMPTY), 400),
    ]
    assert client.post(code, {"code": emailed_code()}).status_code == 302
    intake = "/book/health-questions/"
    return [
        *seen,
        _seen("book: health questions, returning", intake, client.get(intake), 200),
        _seen("book: health questions, returning, empty", intake, client.post(intake, EMPTY), 400),
    ]


# Labels -------------------------------------------------------------------------------

SKIPPED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ")).strip()


def unlabelled_controls(html: str) -> list[str]:
    """Every form control without a real label of its own, and every group of radio
    buttons or checkboxes without a fieldset and legend naming the question.

    A placeholder, a title or an aria-label is not enough here: a visible label is
    what the patient reads, and what a click on the words selects.
    """
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    groups: dict[str, list] = {}
    for control in soup.find_all(["input", "select", "textarea"]):
        kind = (control.get("type") or "text").lower() if control.name == "input" else control.name
        if kind in SKIPPED_INPUT_TYPES:
            continue
        described = f"<{control.name} name={control.get('name')!r} type={kind!r}>"
        control_id = control.get("id")
        label = soup.find("label", attrs={"for": control_id}) if control_id else None
        label = label or control.find_parent("label")
        if label is None:
            problems.append(f"{described} has no <label for=...>")
        elif not _text(label):
            problems.append(f"{described} has an empty label")
        if kind in {"radio", "checkbox"}:
            groups.setdefault(control.get("name"), []).append(control)
    for name, members in groups.items():
        if len(members) < 2:
            continue  # a single checkbox (consent) is named by its own label
        fieldset = members[0].find_parent("fieldset")
        legend = fieldset.find("legend") if fieldset else None
        if legend is None or not _text(legend):
            problems.append(f"the choices {name!r} are not in a fieldset with a legend")
        elif any(member.find_parent("fieldset") is not fieldset for member in members):
            problems.append(f"the choices {name!r} are split between fieldsets")
    return problems


# Errors -------------------------------------------------------------------------------


def untied_errors(html: str) -> list[str]:
    """Error messages a screen reader would not connect to their field.

    Each link in the error summary must lead to a control on the page, and each control
    marked invalid must be described by its message (itself, or the fieldset around a set
    of choices, through ``aria-describedby``).
    """
    soup = BeautifulSoup(html, "html.parser")
    ids = {element["id"] for element in soup.find_all(id=True)}
    problems = []
    for link in soup.select(".error-summary a[href^='#']"):
        if link["href"][1:] not in ids:
            problems.append(f"the error summary links to {link['href']}, which is not there")
    for element in soup.find_all(attrs={"aria-describedby": True}):
        for ref in element["aria-describedby"].split():
            if ref not in ids:
                problems.append(f"aria-describedby={ref!r} names nothing on the page")
    for control in soup.find_all(attrs={"aria-invalid": "true"}):
        holders = [control, control.find_parent("fieldset")]
        refs = [ref for h in holders if h for ref in h.get("aria-describedby", "").split()]
        messages = [soup.find(id=ref) for ref in refs if ref in ids]
        errors = [m for m in messages if "error" in m["id"] and _text(m)]
        if not errors:
            problems.append(f"<{control.name} name={control.get('name')!r}> is invalid, no message")
    return problems
