"""Choosing one patient on the command line, shared by export_patient and erase_patient."""

from django.core.management.base import CommandError

from booking import privacy


def add_patient_arguments(parser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--email", help="The patient's email address (any case).")
    which.add_argument("--id", type=int, dest="patient_id", help="The patient's id.")


def patient_from_options(options):
    patient = privacy.patient_find(email=options.get("email"), pk=options.get("patient_id"))
    if patient is None:
        # The address typed is not repeated: terminals keep their scrollback.
        raise CommandError("No patient matches.")
    return patient
