"""Retention: intake answers are deleted ``INTAKE_RETENTION_YEARS`` after a patient's last
appointment. The nightly task ``tasks.purge_expired_intakes`` runs the purge."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from ..models import Appointment, Intake, Patient, PegReport


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same date and time ``years`` earlier; February 29 becomes February 28."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return years_before(now, settings.INTAKE_RETENTION_YEARS)


def intakes_purge_expired(now: dt.datetime) -> int:
    """Deletes the intakes of every patient whose last appointment (whatever became of it)
    started before the retention cutoff; returns how many. The appointments stay, with
    their screening flags cleared, since the flags repeat answers.

    An appointment within the period keeps all of that patient's intakes: the record is
    kept whole while the patient is in touch. Running it again deletes nothing more.
    """
    cutoff = retention_cutoff(now)
    expired = (
        Patient.objects.annotate(last_appointment=Max("appointments__starts_at"))
        .filter(last_appointment__lt=cutoff)
        .values("pk")
    )
    with transaction.atomic():
        deleted, _ = Intake.objects.filter(appointment__patient__in=expired).delete()
        PegReport.objects.filter(appointment__patient__in=expired).delete()  # answers too
        Appointment.objects.filter(patient__in=expired).exclude(precautions=[]).update(
            flags=[], precautions=[]
        )
    return deleted
