"""The fallback when the push is down: a CSV (UTF-8 or GBK) or .xlsx of tickets, each row taken
through the same checks and the same service as a pushed ticket.

Rows are independent: a row with an error changes nothing and is reported with its line and
field; the valid rows are kept (a repeat of a known ticket number with the same fields counts as
repeated; with other fields it is a row error). An imported row is routed only inside the
importer's own area (affairs.hotline.origin.import_area), and the centre's signed push of the
same number later replaces it while nobody has worked on it.

An .xlsx is a zip: its unpacked size is checked (core.imports.workbook.unpacked_too_large)
before openpyxl parses any part, and only the first MAX_COLUMNS columns are read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _
from rest_framework import serializers

from affairs.hotline.intake import ticket_import_row
from affairs.hotline.origin import import_area
from affairs.hotline.routing import centre_region
from affairs.hotline.validation import TicketPushInput, checked
from core.api.errors import ApplicationError, field_error
from core.audit.services import audit_record
from core.imports.workbook import unpacked_too_large

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
# The longest field (content) holds 5000; a longer cell is a row error, never kept whole.
MAX_CELL_CHARS = 5000
FIELDS = tuple(TicketPushInput().fields)
# Headers as the centre's own exports spell them.
ALIASES = {
    "工单编号": "ticket_no",
    "工单号": "ticket_no",
    "诉求类别": "category",
    "类别": "category",
    "诉求内容": "content",
    "内容": "content",
    "地址": "address",
    "来电人": "caller_name",
    "联系电话": "caller_phone",
    "受理时间": "received_at",
    "办理时限": "deadline",
    "经度": "longitude",
    "纬度": "latitude",
}


def _bad_file(message) -> ApplicationError:
    return field_error("file", message)


def read_rows(upload) -> list[list[str]]:
    """The file's rows as text cells; refuses what is too big, too long or not CSV/XLSX."""
    if upload is None:
        raise _bad_file(_("Choose a file."))
    if upload.size > MAX_BYTES:
        raise _bad_file(_("The file is larger than 2 MB."))
    raw = upload.read(MAX_BYTES + 1)
    name = (upload.name or "").lower()
    if name.endswith(".xlsx") or raw[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(raw)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(raw)
    else:
        raise _bad_file(_("Upload a .csv or .xlsx file."))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) - 1 > MAX_ROWS:
        raise _bad_file(_("The file has more than %(limit)d rows.") % {"limit": MAX_ROWS})
    if not rows:
        raise _bad_file(_("The file is empty."))
    return rows


def _csv_rows(raw: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _bad_file(_("The file is neither UTF-8 nor GBK text."))
    try:
        return [row for _i, row in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text)), strict=False)]
    except csv.Error:
        raise _bad_file(_("The file is not a valid CSV file.")) from None


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            too_large = unpacked_too_large(archive)
        if too_large:
            raise _bad_file(_("The workbook unpacks to more than the import limit allows."))
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        rows = []
        for values in book.worksheets[0].iter_rows(
            values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS
        ):
            rows.append([_cell(value) for value in values])
        book.close()
    except ApplicationError:
        raise
    except Exception:  # a damaged or disguised file: zipfile and openpyxl raise many kinds
        raise _bad_file(_("The file is not a valid .xlsx workbook.")) from None
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Kept one past the limit: enough for the row error, without holding a huge cell.
    return str(value)[: MAX_CELL_CHARS + 1]


def tickets_import(*, upload, actor, request=None) -> dict:
    rows = read_rows(upload)
    # An unconfigured connection (503) or an importer outside the centre's region (400) refuses
    # the whole file, not row by row.
    area = import_area(actor, centre_region())
    header = [ALIASES.get(cell.strip(), cell.strip()) for cell in rows[0]]
    missing = sorted({"ticket_no", "category", "content", "received_at", "deadline"} - set(header))
    if missing:
        raise _bad_file(_("The header row lacks: %(fields)s.") % {"fields": ", ".join(missing)})
    created, repeated, errors, created_ids = 0, 0, [], []
    for line, cells in enumerate(rows[1:], start=2):
        too_long = [
            (header[index] if index < len(header) else "")[:64]
            for index, value in enumerate(cells)
            if len(value) > MAX_CELL_CHARS
        ]
        if too_long:
            message = _("A cell holds more than %(limit)d characters.") % {"limit": MAX_CELL_CHARS}
            errors += [{"row": line, "field": key, "message": message} for key in too_long]
            continue
        data = {key: value.strip() for key, value in zip(header, cells, strict=False) if key in FIELDS}
        data = {key: value for key, value in data.items() if value != ""}
        try:
            values = checked(TicketPushInput, data)
            ticket, new = ticket_import_row(data=values, importer=actor, area=area, request=request)
        except serializers.ValidationError as exc:
            errors += _row_errors(line, exc.detail)
            continue
        except ApplicationError as exc:
            errors += [{"row": line, "field": f, "message": str(m[0])} for f, m in exc.fields.items()] or [
                {"row": line, "field": "", "message": str(exc.message)}
            ]
            continue
        if new:
            created += 1
            created_ids.append(ticket.pk)
        else:
            repeated += 1
    audit_record(
        actor=actor,
        action="hotline.ticket.import",
        object_type="hotline.hotlineticket",
        object_ids=created_ids,
        request=request,
        extra={"created": created, "repeated": repeated, "errors": len(errors)},
    )
    return {"created": created, "repeated": repeated, "errors": errors, "rows": len(rows) - 1}


def _row_errors(line: int, detail) -> list[dict]:
    found = []
    for field, messages in detail.items() if isinstance(detail, dict) else [("", detail)]:
        for message in messages if isinstance(messages, list) else [messages]:
            found.append({"row": line, "field": field, "message": str(message)})
    return found
