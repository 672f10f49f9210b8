"""Limits on what an upload or an export may hold; each can be raised in settings."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "IMPORT_MAX_FILE_BYTES": 10 * 1024 * 1024,
    # A zip may expand a hundredfold; refuse workbooks that would unpack to more than this.
    "IMPORT_MAX_UNPACKED_BYTES": 200 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 50_000,
    "IMPORT_MAX_CELL_CHARS": 255,
    "IMPORT_BATCH_ROWS": 1_000,
    # A running import reports after each batch (seconds apart); silent this long, its worker is
    # taken for dead: the progress shows as stale and the job is queued again (requeue_orphans).
    "IMPORT_STALE_SECONDS": 120,
    # Runs of one job at most: a file that kills its worker every time fails instead of looping.
    "IMPORT_MAX_ATTEMPTS": 3,
    # From this many rows on, a second process parses the workbook while the rows already read
    # are validated and written (core.imports.reader); 0 reads every file in-process.
    "IMPORT_PARALLEL_MIN_ROWS": 2_000,
    "EXPORT_MAX_ROWS": 50_000,
    # Uploaded registers and error reports are deleted this many days after the import ends.
    "IMPORT_FILE_RETENTION_DAYS": 30,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))
