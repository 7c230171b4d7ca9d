"""Encrypt intake answers, pain scores and staff notes at rest.

The values move to new text columns as Fernet tokens (booking/encryption.py); the
plain columns are then dropped. Rows already in the database are encrypted on the
way, so an existing practice keeps every answer.
"""

import django.core.validators
from django.db import migrations, models

import booking.encryption


def seal(apps, schema_editor):
    Intake = apps.get_model("booking", "Intake")
    AppointmentNote = apps.get_model("booking", "AppointmentNote")
    for intake in Intake.objects.only("pk", "pain_score", "answers").iterator():
        Intake.objects.filter(pk=intake.pk).update(
            sealed_pain_score=intake.pain_score, sealed_answers=intake.answers
        )
    for note in AppointmentNote.objects.only("pk", "text").iterator():
        AppointmentNote.objects.filter(pk=note.pk).update(sealed_text=note.text)


def unseal(apps, schema_editor):
    Intake = apps.get_model("booking", "Intake")
    AppointmentNote = apps.get_model("booking", "AppointmentNote")
    for intake in Intake.objects.only("pk", "sealed_pain_score", "sealed_answers").iterator():
        Intake.objects.filter(pk=intake.pk).update(
            pain_score=intake.sealed_pain_score, answers=intake.sealed_answers
        )
    for note in AppointmentNote.objects.only("pk", "sealed_text").iterator():
        AppointmentNote.objects.filter(pk=note.pk).update(text=note.sealed_text)


class Migration(migrations.Migration):
    dependencies = [("booking", "0004_staff_admin")]

    operations = [
        migrations.RemoveConstraint(model_name="intake", name="intake_pain_score_0_to_10"),
        # Nullable first, so that going back re-creates the plain columns empty and
        # unseal() can fill them before they are made required again.
        migrations.AlterField(
            model_name="intake",
            name="pain_score",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="intake", name="answers", field=models.JSONField(null=True)
        ),
        migrations.AlterField(
            model_name="appointmentnote", name="text", field=models.TextField(null=True)
        ),
        migrations.AddField(
            model_name="intake",
            name="sealed_pain_score",
            field=booking.encryption.EncryptedJSONField(null=True),
        ),
        migrations.AddField(
            model_name="intake",
            name="sealed_answers",
            field=booking.encryption.EncryptedJSONField(null=True),
        ),
        migrations.AddField(
            model_name="appointmentnote",
            name="sealed_text",
            field=booking.encryption.EncryptedTextField(max_length=2000, null=True),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(model_name="intake", name="pain_score"),
        migrations.RemoveField(model_name="intake", name="answers"),
        migrations.RemoveField(model_name="appointmentnote", name="text"),
        migrations.RenameField(
            model_name="intake", old_name="sealed_pain_score", new_name="pain_score"
        ),
        migrations.RenameField(model_name="intake", old_name="sealed_answers", new_name="answers"),
        migrations.RenameField(
            model_name="appointmentnote", old_name="sealed_text", new_name="text"
        ),
        migrations.AlterField(
            model_name="intake",
            name="pain_score",
            field=booking.encryption.EncryptedJSONField(
                help_text="Pain now, 0 (none) to 10 (worst).",
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(10),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="intake",
            name="answers",
            field=booking.encryption.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="appointmentnote",
            name="text",
            field=booking.encryption.EncryptedTextField(max_length=2000),
        ),
    ]
