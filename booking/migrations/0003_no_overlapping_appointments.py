"""On PostgreSQL, the database itself refuses overlapping appointments for one practitioner.

An exclusion constraint over (practitioner, [starts_at, blocked_until)) for every
appointment that is not cancelled. SQLite has no such constraint: there the booking
service re-checks inside a transaction that holds SQLite's write lock.

The constraint is added with SQL rather than ``Meta.constraints`` so that the same
models migrate on SQLite too. Creating ``btree_gist`` needs a role allowed to create
extensions (the database owner on PostgreSQL 13+, or a superuser).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_appointment
    ADD CONSTRAINT appointment_no_overlap
    EXCLUDE USING gist (
        practitioner_id WITH =,
        tstzrange(starts_at, blocked_until, '[)') WITH &&
    )
    WHERE (status <> 'cancelled');
"""

DROP = "ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap;"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_schedule_and_appointments")]

    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
