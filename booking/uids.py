"""What marks the practice's own calendar events, wherever they end up.

Appointments leave the practice as calendar events twice: in the patient's email
(``ics.appointment_ics``) and in the practitioner's private feed
(``staff.calendar_feed``). A practitioner's own calendar may hold them afterwards (the
feed subscribed to, an email's file added), so reading it back must know them: each event
has the UID ``appointment-<public id>@<site host>``, and every file the PRODID mark.
Pure: no database, no settings.
"""

import re
import uuid

PRODID_MARK = "Acupuncture practice booking"
PRODID = f"-//{PRODID_MARK}//EN"
FEED_PRODID = f"-//{PRODID_MARK}//practitioner feed//EN"

_UID = re.compile(r"appointment-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}@(?P<host>.+)")


def appointment_uid(public_id: uuid.UUID, host: str) -> str:
    """The one UID of an appointment's event, for its whole life."""
    return f"appointment-{public_id}@{host}"


def is_practice_uid(uid: str, host: str) -> bool:
    """Whether ``uid`` is an appointment of this practice (on ``host``), not another's."""
    match = _UID.fullmatch(uid.strip().lower())
    return bool(match) and match["host"] == host.lower()
