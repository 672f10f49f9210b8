"""Re-encrypt personal data with the active key after PII_KEY changes (the old key moves to
PII_PREVIOUS_KEYS until this has run). Reads the raw tokens with SQL, so nothing is decrypted
that does not need to be; idempotent and restartable: a second run finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection, transaction

from core.pii.crypto import decrypt, encrypt, needs_rotation
from core.pii.fields import EncryptedTextField

BATCH_ROWS = 2000


def encrypted_columns() -> Iterator[tuple[str, str, str]]:
    """(table, primary-key column, encrypted column) of every EncryptedTextField."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model._meta.db_table, model._meta.pk.column, field.column


def rotate_column(table: str, pk: str, column: str, progress: Callable[[int], None] | None = None) -> int:
    quote = connection.ops.quote_name
    select = (
        f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608 - names from the models
        f"WHERE {quote(column)} <> '' AND {quote(pk)} > %s ORDER BY {quote(pk)} LIMIT %s"
    )
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s AND {quote(column)} = %s"  # noqa: S608
    rotated, last = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last, BATCH_ROWS])
            rows = cursor.fetchall()
            if not rows:
                return rotated
            last = rows[-1][0]
            stale = [(encrypt(decrypt(token)), key, token) for key, token in rows if needs_rotation(token)]
            # The old token in the WHERE keeps a row changed meanwhile from being overwritten.
            cursor.executemany(update, stale)
            rotated += len(stale)
        if progress:
            progress(rotated)


def rotate_all(progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    counts = {}
    for table, pk, column in encrypted_columns():
        counts[f"{table}.{column}"] = rotate_column(
            table, pk, column, (lambda n, name=f"{table}.{column}": progress(name, n)) if progress else None
        )
    return counts
