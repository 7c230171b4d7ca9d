"""The first and third booking steps' forms with nothing filled in are rendered once and
kept (practice.fragments.blank_form_html); a form holding anything of the visitor's never
comes from there, and what the choice lists follows the catalogue."""

import pytest

from booking.models import Service
from tests.booking.walk import details_data, draft_of, form_of, seed, walk_to_review
from tests.factories import service_create

TYPED = "Zqxblank"


def _with_a_time(client):
    """A visitor past step 2 (a service and a time), with no details yet."""
    walk_to_review(client)
    draft = draft_of(client)
    seed(
        client,
        service_id=draft.service_id,
        start=draft.start,
        slot_practitioner_id=draft.slot_practitioner_id,
        idempotency_key=draft.idempotency_key,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/book/", "/book/details/"])
def test_the_blank_form_is_kept_and_is_what_rendering_gives(client, monkeypatch, path):
    from booking.views import wizard

    if path == "/book/details/":
        _with_a_time(client)  # else a first visit, with no draft at all
    first = client.get(path)
    kept = client.get(path)
    monkeypatch.setattr(wizard, "blank_form_html", lambda form, name: None)
    rendered = client.get(path)

    assert first.status_code == kept.status_code == rendered.status_code == 200
    assert form_of(first) == form_of(kept) == form_of(rendered)
    assert 'name="service"' in form_of(kept) or 'name="first_name"' in form_of(kept)


@pytest.mark.django_db
def test_details_typed_or_refused_never_come_from_the_kept_form(client):
    _with_a_time(client)
    assert client.get("/book/details/").status_code == 200  # the blank form, now kept
    refused = client.post("/book/details/", details_data(first_name=TYPED, email="not-an-email"))
    sent = client.post("/book/details/", details_data(first_name=TYPED))
    coming_back = client.get("/book/details/")

    assert refused.status_code == 400 and TYPED in refused.content.decode()
    assert sent.status_code == 302
    assert f'value="{TYPED}"' in coming_back.content.decode()  # their own, shown again
    other = type(client)()
    _with_a_time(other)
    assert TYPED not in other.get("/book/details/").content.decode()


@pytest.mark.django_db
def test_a_chosen_session_is_shown_chosen_not_the_kept_blank_choice(client, soup):
    client.get("/book/")  # the blank choice, now kept
    chosen = Service.objects.get(slug="new-patient-visit")
    seed(client, service_id=chosen.pk)
    page = soup(client.get("/book/"))

    assert page.select_one(f'input[name="service"][value="{chosen.pk}"]').has_attr("checked")


@pytest.mark.django_db
def test_a_new_session_is_offered_on_the_kept_choice_once_saved(client, soup):
    client.get("/book/")  # kept
    added = service_create(
        name="Zqx evening session", slug="zqx-evening", duration_minutes=30, sort_order=99
    )
    offered = {field["value"] for field in soup(client.get("/book/")).select('[name="service"]')}
    assert str(added.pk) in offered

    added.is_active = False
    added.save()
    offered = {field["value"] for field in soup(client.get("/book/")).select('[name="service"]')}
    assert str(added.pk) not in offered


@pytest.mark.django_db
def test_without_electrical_stimulation_the_choice_is_its_own(client, soup):
    electrical = service_create(
        name="Zqx electro",
        slug="zqx-electro",
        duration_minutes=30,
        uses_electrical_stimulation=True,
    )
    client.get("/book/")  # the full choice, kept
    seed(client, no_electrical=True)
    offered = {field["value"] for field in soup(client.get("/book/")).select('[name="service"]')}

    assert offered and str(electrical.pk) not in offered
