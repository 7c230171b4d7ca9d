"""A marker planted in a patient's answers must never show up where it does not belong:
not in any log line, not in an error report, not in the search index, and not in
plain text anywhere in the database (intake answers, notes and the booking session are
encrypted). Emails, URLs, calendar files and exports are covered beside their features.
"""

import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.log import AdminEmailHandler

from booking.models import Appointment, AppointmentNote, Intake
from practice.settings import base as base_settings
from tests.booking.walk import confirm, details_data, intake_data, walk_to_review

pytestmark = pytest.mark.django_db

# Lower case letters only, so that a full-text index (which lower-cases and splits on
# punctuation) would still hold it whole.
HEALTH_MARKER = "zqxplantedsciaticazq"
NAME_MARKER = "Zqxplantedsurnamezq"


class Everything(logging.Handler):
    """Keeps every record of every logger, at every level."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))


@pytest.fixture
def every_log_line():
    """Logging as production configures it, with LOG_LEVEL=DEBUG: the most a deployer
    would turn on. Loggers the project pins (``django`` at INFO, so that template
    debugging never dumps a page's context) keep their level; every other one inherits."""
    handler = Everything()
    pinned = {name: config["level"] for name, config in base_settings.LOGGING["loggers"].items()}
    loggers = {"": logging.getLogger()} | {
        name: logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
    }
    saved = [(logger, logger.level, logger.disabled) for logger in loggers.values()]
    # An earlier test may have configured logging anew (dictConfig disables the loggers it
    # does not name) or turned it off: here every logger speaks, as in a fresh process.
    switched_off = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    for name, logger in loggers.items():
        logger.addHandler(handler)
        logger.disabled = False
        if name == "":
            logger.setLevel(logging.DEBUG)
        elif name in pinned:
            logger.setLevel(pinned[name])
        else:
            # As configured from scratch: earlier tests may have quietened a logger
            # (the task worker sets its own to CRITICAL at verbosity 0).
            logger.setLevel(logging.NOTSET)
    try:
        yield handler.lines
    finally:
        for logger, level, disabled in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.disabled = disabled
        logging.disable(switched_off)


def book_with_markers(client) -> Appointment:
    walk_to_review(
        client,
        details=details_data(last_name=NAME_MARKER, email="planted@example.com"),
        answers=intake_data(
            worse=f"Bending, {HEALTH_MARKER}", better=f"Warmth {HEALTH_MARKER}", pain_score="7"
        ),
    )
    response, _ = confirm(client)
    assert response.status_code == 302, response.content[:2000]
    return Appointment.objects.get(patient__last_name=NAME_MARKER)


def test_the_marker_reaches_no_log_line(
    client, admin_client, every_log_line, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_with_markers(client)
    AppointmentNote.objects.create(appointment=appointment, text=f"Note {HEALTH_MARKER}")
    # Staff read the chart and the lists; the patient's emails go out (immediate tasks).
    assert admin_client.get(f"/admin/bookings/appointments/inspect/{appointment.pk}/")
    admin_client.get(f"/admin/bookings/patients/inspect/{appointment.patient_id}/")
    admin_client.get("/admin/bookings/appointments/?q=" + NAME_MARKER)
    # The copy of the record holds both markers; the line that records it holds neither.
    export = admin_client.post(
        reverse("booking_staff:patient_export", args=[appointment.patient_id])
    )
    assert HEALTH_MARKER.encode() in b"".join(export)
    assert len(mail.outbox) >= 2

    assert every_log_line, "the handler saw nothing: the test would prove nothing"
    leaked = [line for line in every_log_line if HEALTH_MARKER in line.lower()]
    assert leaked == []
    assert not [line for line in every_log_line if NAME_MARKER.lower() in line.lower()]


@pytest.mark.parametrize("step", ["intake", "review"])
def test_an_error_report_carries_no_patient_data(settings, monkeypatch, step):
    """A crash while the answers are in play: the emailed report (text and HTML) shows
    the traceback but no POST value, cookie or local variable."""
    settings.ADMINS = ["ops@example.com"]
    client = Client(raise_request_exception=False)
    handler = AdminEmailHandler(include_html=True)
    handler.setLevel(logging.ERROR)
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)

    def crash(*args, **kwargs):
        raise RuntimeError("a bug in the booking code")

    try:
        if step == "intake":
            monkeypatch.setattr("booking.views.screening.intake.refusal_for", crash)
            response, _ = walk_to_review(
                client,
                details=details_data(last_name=NAME_MARKER),
                answers=intake_data(worse=f"Bending, {HEALTH_MARKER}"),
            )
        else:
            walk_to_review(
                client,
                details=details_data(last_name=NAME_MARKER),
                answers=intake_data(worse=f"Bending, {HEALTH_MARKER}"),
            )
            monkeypatch.setattr("booking.services.appointment_book", crash)
            response, _ = confirm(client)
    finally:
        request_logger.removeHandler(handler)

    assert response.status_code == 500
    # Django's own mail_admins handler and ours (with the HTML page) each sent one.
    reports = [m for m in mail.outbox if "ops@example.com" in m.to]
    with_html = [m for m in reports if m.alternatives]
    assert reports and with_html
    assert "a bug in the booking code" in reports[0].body  # it is a real report...
    assert "Traceback" in reports[0].body
    texts = [m.subject for m in reports] + [m.body for m in reports]
    texts += [m.alternatives[0].content for m in with_html]
    for text in texts:
        assert HEALTH_MARKER not in text.lower()
        assert NAME_MARKER.lower() not in text.lower()
    assert not Appointment.objects.filter(patient__last_name=NAME_MARKER).exists()


def test_the_search_index_and_every_table_hold_no_plain_answers(client):
    appointment = book_with_markers(client)
    AppointmentNote.objects.create(appointment=appointment, text=f"Note {HEALTH_MARKER}")
    call_command("update_index", verbosity=0)

    # Every table, every row, every column, as the database returns it.
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text = repr(cursor.fetchall()).lower()
            for marker in (HEALTH_MARKER, NAME_MARKER.lower()):
                if marker in text:
                    found.setdefault(marker, []).append(table)

    assert HEALTH_MARKER not in found, found
    # The name is the patient's record itself; no search index or log table holds it.
    assert found.get(NAME_MARKER.lower()) == ["booking_patient"]
    # ... while the answers still read back through the model.
    assert HEALTH_MARKER in Intake.objects.get(appointment=appointment).answers["worse"]
