"""The patient's session for "My appointments": apart from staff sign-in (no Django user,
no ``login()``), a signed patient id in the session with its own idle limit.

Signing in cycles the session key (no fixation); an hour without a page ends it, as
"Sign out" does at once.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone

from ..models import Patient

SESSION_KEY = "patient"
SALT = "booking.patient-session"
IDLE = dt.timedelta(hours=1)


def patient_sign_in(request, patient: Patient, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "id": signing.dumps(patient.pk, salt=SALT),
        "seen": now.isoformat(),
    }


def patient_sign_out(request) -> None:
    if request.session.pop(SESSION_KEY, None) is not None:
        request.session.cycle_key()


def signed_in_patient(request, *, now: dt.datetime | None = None) -> Patient | None:
    """The signed-in patient, or None (never signed in, signed out, or idle an hour);
    each page seen restarts the hour."""
    now = now or timezone.now()
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    try:
        patient_id = signing.loads(held.get("id", ""), salt=SALT)
        seen = dt.datetime.fromisoformat(held.get("seen", ""))
    except (signing.BadSignature, ValueError, TypeError):
        request.session.pop(SESSION_KEY, None)
        return None
    if now - seen > IDLE:
        request.session.pop(SESSION_KEY, None)
        return None
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:  # erased since
        request.session.pop(SESSION_KEY, None)
        return None
    held["seen"] = now.isoformat()
    request.session[SESSION_KEY] = held
    return patient
