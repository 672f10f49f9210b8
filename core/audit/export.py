"""The audit log as .xlsx. Cells never become formulas (a value starting with =, +, - or @ is text)."""

from __future__ import annotations

import io
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.api.validators import clean_text

EXPORT_MAX_ROWS = 100_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    # Without the control characters a workbook cannot hold (openpyxl raises on them).
    value = clean_text(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit log"))
    sheet.append(
        [
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Objects touched"),
            _("Region path"),
            _("Changes"),
            _("Purpose"),
            _("IP address"),
            _("Details"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                safe_cell(timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S")),
                safe_cell(row.actor_label),
                safe_cell(row.action),
                safe_cell(row.object_type),
                safe_cell(row.object_id),
                safe_cell(row.object_ids),
                safe_cell(row.region_path),
                safe_cell(row.changes),
                safe_cell(row.purpose),
                safe_cell(row.ip_address),
                safe_cell(row.extra),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
