"""Write many rows of a model at once: COPY on PostgreSQL, bulk_create elsewhere.

Shared by the register import and the demo/benchmark data generator. Rows are dicts of field
attnames holding what the ORM would be given (plaintext personal data included); fields not in
a row take their default, `auto_now` fields the current time. On PostgreSQL the primary keys are
taken from the table's sequence first, so the caller learns the ids COPY itself cannot return,
and personal data is encrypted here with the register's own bulk rule (`encrypt_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from core.pii.fields import EncryptedTextField
from core.registry.identity import encrypt_columns
from core.registry.models import Resident

# Models whose personal data has a dedicated bulk rule; their encrypted columns are passed through.
_PREPARE_ROW: dict[type[models.Model], Callable[[dict], dict]] = {Resident: encrypt_columns}
# Field types psycopg dumps correctly from their Python values, without the field's own conversion.
_NATIVE_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
    models.DateField,
    models.BooleanField,
    models.DecimalField,
    models.FloatField,
)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows (keys starting with "_" are ignored) and return their primary keys, in order."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        return _copy(model, rows, connection)
    objects = [model(**{k: v for k, v in row.items() if not k.startswith("_")}) for row in rows]
    model.objects.bulk_create(objects, batch_size=500)
    return [obj.pk for obj in objects]


def allocate_ids(model: type[models.Model], count: int, connection) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _writer(cursor):
    # A writer thread sends each block to the server while Python lays out the next rows, so
    # the two cores work at once (psycopg's QueuedLibpqWriter).
    return QueuedLibpqWriter(cursor)


def _converter(model: type[models.Model], field: models.Field, connection) -> Callable | None:
    if isinstance(field, EncryptedTextField):
        if model in _PREPARE_ROW:
            return None
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, _NATIVE_FIELDS):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _copy(model: type[models.Model], rows: Sequence[dict[str, Any]], connection) -> list[int]:
    meta = model._meta
    fields = list(meta.concrete_fields)
    converters = [_converter(model, field, connection) for field in fields]
    defaults = []
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(now)
        elif field.primary_key:
            defaults.append(None)
        else:
            defaults.append(field.get_default())
    ids = allocate_ids(model, len(rows), connection)
    prepare = _PREPARE_ROW.get(model)
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN"
    # Laid out once, not once per row: each column's attname and default, the primary key's
    # position, and the few columns whose values need their field's conversion.
    layout = [(field.attname, default) for field, default in zip(fields, defaults, strict=True)]
    pk_index = next(index for index, field in enumerate(fields) if field.primary_key)
    converted = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
    # The psycopg cursor itself: Django's debug wrapper does not pass `writer` on.
    with (
        connection.cursor() as wrapper,
        wrapper.cursor.copy(statement, writer=_writer(wrapper.cursor)) as copy,
    ):
        for pk, row in zip(ids, rows, strict=True):
            if prepare is not None:
                row = prepare(dict(row))
            get = row.get
            values = [get(attname, default) for attname, default in layout]
            values[pk_index] = pk
            for index, convert in converted:
                if values[index] is not None:
                    values[index] = convert(values[index])
            copy.write_row(values)
    return ids
