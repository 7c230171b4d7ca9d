"""What a visitor has chosen and typed so far, kept in their session between booking steps.

Nothing of it goes into a URL. It is cleared once the appointment is booked, or
when the answers mean the booking cannot be made. The details and the health answers
are encrypted (booking/encryption.py) before they reach the session store, which is a
database table too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from . import encryption, intake, selectors, services
from .models import Practitioner, Service
from .ratelimit import email_name

SESSION_KEY = "booking"
SEALED = ("details", "intake")


@dataclass
class BookingDraft:
    service_id: int | None = None
    practitioner_id: int | None = None  # the patient's choice; None means first available
    slot_practitioner_id: int | None = None  # who is free at the chosen time
    start: str | None = None  # ISO 8601, aware
    source_page_id: int | None = None
    details: dict = field(default_factory=dict)
    intake_kind: str | None = None
    intake: dict = field(default_factory=dict)
    no_electrical: bool = False
    # Joining the waiting list instead of booking a time (booking/views/waitlist.py): the
    # days and times that suit, and the booked appointment to move sooner, if any.
    waitlist: dict = field(default_factory=dict)
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    # The email address this visitor proved they read (a code, or "My appointments"), as
    # ``ratelimit.email_name`` hashes it: only then may the booking treat them as someone
    # it knows (booking/patients/codes.py).
    email_proven: str = ""

    @classmethod
    def load(cls, request) -> BookingDraft:
        stored = request.session.get(SESSION_KEY) or {}
        known = {k: v for k, v in stored.items() if k in cls.__dataclass_fields__}
        for name in SEALED:
            known[name] = _unseal(known.get(name))
        return cls(**known)

    def save(self, request) -> None:
        stored = asdict(self)
        for name in SEALED:
            stored[name] = encryption.encrypt_json(stored[name]) if stored[name] else {}
        request.session[SESSION_KEY] = stored

    @staticmethod
    def clear(request) -> None:
        request.session.pop(SESSION_KEY, None)

    # Typed views of the stored values; each costs at most one query.

    def service(self) -> Service | None:
        if self.service_id is None:
            return None
        return selectors.service_get_active(pk=self.service_id)

    def practitioner(self) -> Practitioner | None:
        if self.practitioner_id is None:
            return None
        return selectors.practitioner_get(pk=self.practitioner_id)

    def slot_practitioner(self) -> Practitioner | None:
        """Who is free at the chosen time (the patient's choice, or the first available)."""
        if self.slot_practitioner_id is None:
            return None
        return selectors.practitioner_get(pk=self.slot_practitioner_id)

    def start_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.start) if self.start else None

    # What the booking service is given, built from the steps done.

    def patient_details(self) -> services.PatientDetails:
        d = self.details
        return services.PatientDetails(
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
            phone=d["phone"],
            date_of_birth=dt.date.fromisoformat(d["date_of_birth"]),
        )

    def intake_answers(self) -> services.IntakeAnswers:
        return services.IntakeAnswers(
            kind=self.intake_kind,
            pain_score=self.intake["pain_score"],
            answers=self.intake["answers"],
        )

    def patient_age(self, today: dt.date | None = None) -> int | None:
        """The patient's age in years today (the practice's date), once the details are in."""
        born = self.details.get("date_of_birth")
        if not born:
            return None
        return intake.age_on(dt.date.fromisoformat(born), today or timezone.localdate())

    def proves(self, email: str) -> bool:
        """Whether ``email`` is the address this visitor proved they read."""
        return bool(self.email_proven) and self.email_proven == email_name(email)

    def forget_time(self) -> None:
        self.start = None
        self.slot_practitioner_id = None

    def know(self, patient) -> None:
        """The visitor is this patient, proved by a link only they were sent (a manage
        link, a sign-in to "My appointments"): their details filled in, their address taken
        as proved, so that the booking treats them as the patient it knows."""
        self.details = {
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "email": patient.email,
            "phone": patient.phone,
            "date_of_birth": patient.date_of_birth.isoformat(),
        }
        self.email_proven = email_name(patient.email) if patient.email else ""


def _unseal(value) -> dict:
    """A sealed session value, or nothing when it cannot be read (a key retired since)."""
    if not isinstance(value, str):
        return {}
    try:
        opened = encryption.decrypt_json(value)
    except encryption.UndecryptableValue:
        return {}
    return opened if isinstance(opened, dict) else {}
