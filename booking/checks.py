"""System checks of the booking app.

``intake_key_reads_stored_answers`` is a database check: Django runs it with ``migrate``
(each release) and with ``manage.py check --database default``, not at every command. A
key that is a well-formed Fernet key but not the one the answers were written with passes
every check of the settings; without this one the site would start, write new answers
with it and fail on every stored one.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections

from . import encryption
from .models import Intake


@checks.register(checks.Tags.database)
def intake_key_reads_stored_answers(app_configs=None, databases=None, **kwargs):
    """The newest stored intake answers open with ``INTAKE_ENCRYPTION_KEYS``."""
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        table = connection.ops.quote_name(Intake._meta.db_table)
        column = connection.ops.quote_name(Intake._meta.get_field("answers").column)
        pk = connection.ops.quote_name(Intake._meta.pk.column)
        try:
            with connection.cursor() as cursor:
                # The ciphertext as stored: the model's field would decrypt it on reading.
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "
                    f"ORDER BY {pk} DESC LIMIT 1"
                )
                row = cursor.fetchone()
        except DatabaseError:
            continue  # not migrated yet (migrate runs its checks first): nothing stored
        if row is None:
            continue
        try:
            encryption.decrypt(row[0])
        except ImproperlyConfigured:
            return errors  # no usable key at all: the settings' own check says so
        except encryption.UndecryptableValue:
            errors.append(
                checks.Error(
                    "INTAKE_ENCRYPTION_KEYS cannot open the intake answers stored in the "
                    f"database {alias!r}: none of its keys is the one they were written with.",
                    hint="Set the key kept apart from the backups (a new key goes first, "
                    "the old ones after it, until `manage.py reencrypt_intakes` has run).",
                    id="booking.E001",
                )
            )
    return errors
