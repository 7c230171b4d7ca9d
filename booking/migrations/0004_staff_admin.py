import secrets

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

import booking.models.schedule


def give_each_practitioner_a_token(apps, schema_editor):
    Practitioner = apps.get_model("booking", "Practitioner")
    for practitioner in Practitioner.objects.filter(calendar_token__isnull=True):
        practitioner.calendar_token = secrets.token_urlsafe(32)
        practitioner.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0003_no_overlapping_appointments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="practitioner",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_practitioner_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="practitioner",
            name="calendar_token",
            field=models.CharField(
                default=booking.models.schedule.new_calendar_token,
                editable=False,
                help_text="The secret in the private calendar feed's address.",
                max_length=64,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="workinghours",
            name="practitioner",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="working_hours",
                to="booking.practitioner",
            ),
        ),
        migrations.CreateModel(
            name="AppointmentNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="booking.appointment",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["created_at"]},
        ),
    ]
