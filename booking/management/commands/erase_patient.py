"""Erase one patient: the person and their health information go, the bookings stay as
anonymous rows for the practice's counts."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from booking import privacy
from booking.models import Appointment, AppointmentNote, AppointmentStatus, Intake
from booking.privacy.erasure import patient_erase

from ._patients import add_patient_arguments, patient_from_options

CONFIRMATION = "erase"


class Command(BaseCommand):
    help = (
        "Erase a patient: name, email, phone, date of birth, intake answers and staff notes "
        "are deleted; upcoming appointments are cancelled; appointments are kept without "
        "anyone's name, for the practice's statistics. Asks first unless --yes."
    )

    def add_arguments(self, parser):
        add_patient_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, yes=False, **options):
        patient = patient_from_options(options)
        if privacy.is_erased(patient):
            self.stdout.write(f"Patient {patient.pk} was erased already; erasing again.")
        self._describe(patient)
        if not yes:
            answer = input(f"Type {CONFIRMATION!r} to erase this patient for good: ")
            if answer.strip().lower() != CONFIRMATION:
                raise CommandError("Nothing was erased.")
        erasure = patient_erase(
            patient, by=None, via=f"manage.py erase_patient (system user {_system_user()})"
        )
        self.stdout.write(self.style.SUCCESS(f"Patient {erasure.patient_id} erased."))
        self.stdout.write(
            "Removed: name, email, phone and date of birth; "
            f"{erasure.intakes_deleted} intake(s) with their answers; "
            f"{erasure.notes_deleted} staff note(s); screening flags and cancellation reasons; "
            f"{erasure.email_records_deleted} email record(s)."
        )
        self.stdout.write(
            f"Cancelled first: {erasure.appointments_cancelled} upcoming appointment(s) "
            "(their practitioners are told)."
        )
        self.stdout.write(
            f"Kept: {erasure.appointments_kept} appointment(s) as anonymous rows (time, "
            "service, practitioner, status, source article), the log of who viewed answers, "
            f"and the record's history under the name {privacy.ERASED_LABEL!r}."
        )

    def _describe(self, patient) -> None:
        appointments = Appointment.objects.filter(patient=patient)
        upcoming = appointments.filter(
            status=AppointmentStatus.CONFIRMED, starts_at__gt=timezone.now()
        ).count()
        self.stdout.write(
            f"Patient {patient.pk}: {patient.full_name}, {appointments.count()} appointment(s) "
            f"({upcoming} upcoming, to be cancelled), "
            f"{Intake.objects.filter(appointment__patient=patient).count()} intake(s), "
            f"{AppointmentNote.objects.filter(appointment__patient=patient).count()} note(s)."
        )


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
