"""Each manage link gets a random secret of its own (issue 28); links already sent keep working.

Before this, a manage link was the appointment's public id signed with ``SECRET_KEY``,
and that id is also the UID of every calendar file and feed. This migration hashes the
link each still-useful appointment was sent (the signed id, with the ``SECRET_KEY`` of
the deployment it runs on) into a ``ManageLink`` row marked ``migrated``. Those rows open
their appointment for as long as any link does (until ``COURSE_REQUEST_DAYS_AFTER`` days
after the visit) and are purged with the rest; nothing signs or reads a signed id at run
time any more. Appointments already past that time get no row: their links had expired.
"""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from booking.tokens import legacy_manage_token, secret_hash

BATCH = 2000


def hash_links_already_sent(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    ManageLink = apps.get_model("booking", "ManageLink")
    now = timezone.now()
    still_open = now - dt.timedelta(days=settings.COURSE_REQUEST_DAYS_AFTER)
    rows = Appointment.objects.filter(ends_at__gte=still_open).values_list("pk", "public_id")
    batch = []
    for pk, public_id in rows.iterator(chunk_size=BATCH):
        token = legacy_manage_token(public_id)
        batch.append(
            ManageLink(
                appointment_id=pk, token_hash=secret_hash(token), created_at=now, migrated=True
            )
        )
        if len(batch) >= BATCH:
            ManageLink.objects.bulk_create(batch)
            batch = []
    ManageLink.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0018_new_patients_may_book"),
    ]

    operations = [
        migrations.CreateModel(
            name="ManageLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField()),
                ("migrated", models.BooleanField(default=False)),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="manage_links",
                        to="booking.appointment",
                    ),
                ),
            ],
        ),
        migrations.RunPython(hash_links_already_sent, migrations.RunPython.noop),
    ]
