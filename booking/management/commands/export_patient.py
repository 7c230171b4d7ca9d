"""Everything held about one patient, as JSON: the patient's right to a copy."""

import os

from django.core.management.base import BaseCommand, CommandError

from booking import privacy

from ._patients import add_patient_arguments, patient_from_options


class Command(BaseCommand):
    help = (
        "Export everything held about one patient (details, appointments, intake answers, "
        "notes, who viewed them, emails) as JSON, to stdout or to a new file readable only "
        "by you. The export is logged."
    )

    def add_arguments(self, parser):
        add_patient_arguments(parser)
        parser.add_argument(
            "--output",
            help="Write to this new file (mode 0600) instead of stdout; an existing file is "
            "never overwritten.",
        )

    def handle(self, *args, output=None, **options):
        patient = patient_from_options(options)
        text = privacy.patient_export_json(patient)
        if output:
            _write_private(output, text)
        else:
            self.stdout.write(text, ending="")
        privacy.patient_export_log(patient, via="manage.py export_patient")
        if output:
            self.stderr.write(f"Patient {patient.pk} exported to {output} (mode 0600).")


def _write_private(path: str, text: str) -> None:
    """Creates ``path`` for the owner alone, from the first byte: it holds health data."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{path} exists already; choose a new file name.") from None
    except OSError as error:
        raise CommandError(f"Cannot create {path}: {error.strerror}.") from None
    # The umask can only take permissions away; this makes sure of exactly 0600.
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
