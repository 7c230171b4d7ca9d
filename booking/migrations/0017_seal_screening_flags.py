"""Encrypt the screening flags; keep in plain text only the rules they set.

``booking_appointment.flags`` held the flags in plain text ("pregnancy", "iv_drugs")
beside the patient's name: a database dump without the key disclosed them. They move to
a Fernet-encrypted column (booking/encryption.py, the answers' keys), which then takes
the name ``flags``; the new ``precautions`` column keeps what the schedule needs, the
names of the rules the flags set ("check_with_patient", "no_electrical", ...). Every row
is converted on the way, holds included; going back restores the plain flags.
"""

from django.db import migrations, models

import booking.encryption
from booking.intake import precautions_for


def seal(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    rows = Appointment._base_manager.only("pk", "flags").order_by("pk")
    for appointment in rows.iterator(chunk_size=500):
        flags = list(appointment.flags or [])
        Appointment._base_manager.filter(pk=appointment.pk).update(
            sealed_flags=flags, precautions=precautions_for(flags)
        )


def unseal(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    rows = Appointment._base_manager.only("pk", "sealed_flags").order_by("pk")
    for appointment in rows.iterator(chunk_size=500):
        Appointment._base_manager.filter(pk=appointment.pk).update(
            flags=list(appointment.sealed_flags or [])
        )


class Migration(migrations.Migration):
    dependencies = [("booking", "0016_note_kinds")]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="precautions",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="The rules the flags set (their names), for the schedule: never "
                "the flags.",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="sealed_flags",
            field=booking.encryption.EncryptedJSONField(blank=True, default=list),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(model_name="appointment", name="flags"),
        migrations.RenameField(model_name="appointment", old_name="sealed_flags", new_name="flags"),
        migrations.AlterField(
            model_name="appointment",
            name="flags",
            field=booking.encryption.EncryptedJSONField(
                blank=True,
                default=list,
                help_text="Screening answers the practitioner must know about.",
            ),
        ),
    ]
