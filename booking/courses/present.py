"""How a course's rows and sessions are shown, on the patient's pages and the staff's."""

from __future__ import annotations

from django.utils import timezone

from practice.local_time import moment

from ..manage_links import manage_links_create
from ..views.picker import encode_slot_choice
from .moving import MoveOutcome
from .plan import PlannedSession, SessionState
from .selectors import SCOPE_LABELS, course_session_list


def preview_rows(rows: list[PlannedSession], practitioner_id: int) -> list[dict]:
    """One dict a row: the date asked for in local time, its state, and the radio choices
    (the date itself when free, else the times free nearby) with "skip"."""
    tz = timezone.get_default_timezone()
    shown = []
    for row in rows:
        options = [row.start] if row.is_free else [slot.start for slot in row.alternatives]
        shown.append(
            {
                "number": row.number,
                "local": row.wall.replace(tzinfo=tz),
                "free": row.is_free,
                "state": row.state.value,
                "options": [
                    {
                        "value": encode_slot_choice(start, practitioner_id),
                        "local": start.astimezone(tz),
                        "id": f"session-{row.number}-{n}",
                    }
                    for n, start in enumerate(options, start=1)
                ],
            }
        )
    return shown


def booked_summary(booked: int, planned: int) -> str:
    """ "6 of 8 sessions booked", said plainly."""
    noun = "session" if planned == 1 else "sessions"
    return f"{booked} of {planned} {noun} booked."


def manage_context(appointment, token: str) -> dict:
    """What the manage page (opened by ``token``) shows of the appointment's course, if it
    has one: three queries. Each other session gets a link of its own, made now (one
    insert), since only hashes of the links already sent are kept."""
    if appointment.course_id is None:
        return {}
    tz = timezone.get_default_timezone()
    sessions = course_session_list(appointment=appointment)
    tokens = manage_links_create(appointments=[s for s in sessions if s.pk != appointment.pk])
    tokens[appointment.pk] = token
    return {
        "course": appointment.course,
        "course_sessions": [
            {
                "token": tokens[s.pk],
                "local": s.starts_at.astimezone(tz),
                "is_this": s.pk == appointment.pk,
                "status": s.status,
                "status_label": s.get_status_display(),
            }
            for s in sessions
        ],
        "course_scopes": [(scope.value, label) for scope, label in SCOPE_LABELS.items()],
    }


def move_rows(outcome: MoveOutcome, appointment) -> list[dict]:
    """One dict a session of a move: its time now, the time it would move to, and whether
    it can (else why not)."""
    tz = timezone.get_default_timezone()
    return [
        {
            "now_local": row.session.starts_at.astimezone(tz),
            "new_local": row.move.wall.replace(tzinfo=tz),
            "can_move": row.move.can_move,
            "moved": row.moved,
            "state": row.move.state.value,
            "is_this": row.session.pk == appointment.pk,
            "public_id": row.session.public_id.hex,
        }
        for row in outcome.rows
    ]


def move_summary(outcome: MoveOutcome) -> str:
    """ "3 sessions moved." and, for each left where it was, its time and why, said plainly."""
    count = len(outcome.moved)
    if not outcome.rows:
        return "Nothing to move: the sessions are at those times already."
    said = [f"{count} {'session' if count == 1 else 'sessions'} moved."]
    for row in outcome.refused:
        state = "taken since" if row.move.state is SessionState.TAKEN else row.move.state.value
        when = moment(row.session.starts_at, "l, F j")
        said.append(f"{when} stays where it was ({state}).")
    return " ".join(said)
