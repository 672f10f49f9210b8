"""Reading and writing .xlsx safely: what an upload must be, how its rows are read, how cells are written.

An upload is judged by its content, never its name: a zip holding an Office Open XML workbook
without macros, within the size limits. Its rows are read with openpyxl in read-only mode with
cached values (`data_only`), so a formula contributes the value Excel last computed, never its
text. Every string written back (error report, export) is a text cell, so a value such as
`=HYPERLINK(…)` or `+1` stays text and is never run as a formula.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.api.errors import ApplicationError
from core.api.validators import clean_text
from core.imports import columns
from core.imports.errors import ImportsError
from core.imports.limits import limit

ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class UploadFacts:
    data_rows: int
    headers: tuple[str, ...]


def _not_a_workbook() -> ApplicationError:
    return ApplicationError(
        _("The file is not an Excel workbook (.xlsx)."),
        code=ImportsError.IMPORT_NOT_XLSX,
        fields={"file": [_("Upload an Excel workbook (.xlsx) made from the template.")]},
    )


def inspect_upload(upload: IO[bytes]) -> UploadFacts:
    """Check an upload against the limits without importing it; raise ApplicationError (400) if not."""
    upload.seek(0)
    if upload.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
        raise _not_a_workbook()
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _not_a_workbook()
        # .xlsm and .xltx declare another content type; macros are refused outright.
        if WORKBOOK_CONTENT_TYPE not in archive.read("[Content_Types].xml") or any(
            name.lower().endswith("vbaproject.bin") for name in names
        ):
            raise _not_a_workbook()
        if unpacked_too_large(archive):
            raise _too_large()
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = data_sheet(workbook)
        headers = _header_row(sheet)
        sheet_path = _sheet_path(archive, workbook.sheetnames.index(sheet.title))
        with archive.open(sheet_path) as source:
            data_rows = _SheetScan([len(text or "") for text in workbook.shared_strings]).run(source)
        workbook.close()
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        ElementTree.ParseError,
        expat.ExpatError,
        DefusedXmlException,
    ):
        raise _not_a_workbook() from None
    _check_headers(headers)
    if data_rows == 0:
        raise ApplicationError(_("The workbook has no rows to import."), code=ImportsError.IMPORT_EMPTY)
    if data_rows > limit("IMPORT_MAX_ROWS"):
        raise ApplicationError(
            _("The workbook has %(rows)d rows; at most %(max)d can be imported at once. Split the file.")
            % {"rows": data_rows, "max": limit("IMPORT_MAX_ROWS")},
            code=ImportsError.IMPORT_TOO_MANY_ROWS,
        )
    upload.seek(0)
    return UploadFacts(data_rows=data_rows, headers=headers)


def unpacked_too_large(archive: zipfile.ZipFile) -> bool:
    """Whether the archive would unpack to more than IMPORT_MAX_UNPACKED_BYTES: checked before
    any part is parsed, since a small zip may expand a thousandfold (a decompression bomb). The
    sizes are the declared ones, and zipfile never unpacks a member beyond its declared size."""
    return sum(info.file_size for info in archive.infolist()) > limit("IMPORT_MAX_UNPACKED_BYTES")


def _too_large() -> ApplicationError:
    return ApplicationError(
        _("The file is larger than %(mb)d MB.") % {"mb": limit("IMPORT_MAX_FILE_BYTES") // (1024 * 1024)},
        code=ImportsError.IMPORT_FILE_TOO_LARGE,
        fields={"file": [_("Split the register into smaller files.")]},
    )


def check_size(size: int) -> None:
    if size > limit("IMPORT_MAX_FILE_BYTES"):
        raise _too_large()


def _check_headers(headers: tuple[str, ...]) -> None:
    missing = [header for header in columns.REQUIRED_HEADERS if header not in headers]
    known = [header for header in headers if header in columns.COLUMNS_BY_HEADER]
    if missing or not any(h in headers for h in ("房屋编号", "房屋地址", "网格")) or len(known) < 2:
        raise ApplicationError(
            _("The first row must hold the template's column headers; missing: %(missing)s.")
            % {"missing": "、".join(missing or ("房屋编号", "房屋地址", "网格"))},
            code=ImportsError.IMPORT_BAD_HEADERS,
        )


def data_sheet(workbook):
    """The template's sheet if present, otherwise the first one."""
    if columns.SHEET_TITLE in workbook.sheetnames:
        return workbook[columns.SHEET_TITLE]
    return workbook.worksheets[0]


def _header_row(sheet) -> tuple[str, ...]:
    for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
        return tuple(str(value).strip() if value is not None else "" for value in row)
    return ()


_UNREADABLE = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    ElementTree.ParseError,
    expat.ExpatError,
    DefusedXmlException,
)


def _sheet_path(archive: zipfile.ZipFile, index: int) -> str:
    # defusedxml refuses entity tricks (openpyxl uses it too once it is installed).
    book = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = book.find(f"{MAIN_NS}sheets")[index]
    relation_id = sheet.get(f"{REL_NS}id")
    relations = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{PKG_REL_NS}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise KeyError(relation_id)


class _SheetScan:
    """Count the rows holding a value and refuse an over-long cell, reading the sheet with expat:
    an order of magnitude faster than building openpyxl cells, so the upload answers at once."""

    def __init__(self, shared_lengths: list[int]) -> None:
        self.shared_lengths = shared_lengths
        self.max_chars = limit("IMPORT_MAX_CELL_CHARS")
        self.rows = 0
        self.row_has_value = False
        self.cell = ""
        self.cell_is_shared = False
        self.cell_length = 0
        self.text: list[str] | None = None

    def run(self, source: IO[bytes]) -> int:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.CharacterDataHandler = self.characters
        parser.EndElementHandler = self.end
        parser.ParseFile(source)
        return max(self.rows - 1, 0)  # the header row

    def start(self, name: str, attributes: dict) -> None:
        if name == "row":
            self.row_has_value = False
        elif name == "c":
            self.cell, self.cell_is_shared = attributes.get("r", ""), attributes.get("t") == "s"
            self.cell_length = 0
        elif name in ("v", "t"):  # a value, or the text of an inline string
            self.text = []

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        if name in ("v", "t") and self.text is not None:
            value, self.text = "".join(self.text), None
            if name == "v" and self.cell_is_shared:
                index = int(value) if value.isdigit() else -1
                self.cell_length += self.shared_lengths[index] if 0 <= index < len(self.shared_lengths) else 0
            else:
                self.cell_length += len(value)
        elif name == "c":
            if self.cell_length > self.max_chars:
                raise ApplicationError(
                    _("Cell %(cell)s has more than %(max)d characters.")
                    % {"cell": self.cell, "max": self.max_chars},
                    code=ImportsError.IMPORT_CELL_TOO_LONG,
                )
            self.row_has_value = self.row_has_value or self.cell_length > 0
        elif name == "row" and self.row_has_value:
            self.rows += 1


def iter_records(source: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(Excel row number, {column key: cell value}) for every non-empty row under the header."""
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = data_sheet(workbook)
        # The stored <dimension> may be wrong (some tools write A1:A1); read what is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        keys = [
            columns.COLUMNS_BY_HEADER[str(h).strip()].key
            if h is not None and str(h).strip() in columns.COLUMNS_BY_HEADER
            else None
            for h in header
        ]
        for number, row in enumerate(rows, start=2):
            if not any(value not in (None, "") for value in row):
                continue
            yield number, {key: value for key, value in zip(keys, row, strict=False) if key is not None}
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A cell's value as the text a worker typed: 13812345678.0 → "13812345678", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def text_cell(sheet, value: Any) -> WriteOnlyCell:
    """A write-only cell; strings are always stored as text, never as a formula, and without
    the control characters a workbook cannot hold (a row stored before they were refused)."""
    cell = WriteOnlyCell(sheet, value=clean_text(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def new_sheet(title: str, headers: list[str], widths: list[int]) -> tuple[Workbook, Any]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = text_cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    return workbook, sheet


def append_row(sheet, values: list[Any]) -> None:
    sheet.append([text_cell(sheet, value) for value in values])


def write_template(target: IO[bytes]) -> None:
    """The empty import template, with a second sheet explaining each column and its values."""
    workbook, _sheet = new_sheet(
        columns.SHEET_TITLE, [c.header for c in columns.COLUMNS], [c.width for c in columns.COLUMNS]
    )
    guide = workbook.create_sheet(columns.GUIDE_SHEET_TITLE)
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 80
    append_row(guide, ["列", "填写说明"])
    for column in columns.COLUMNS:
        append_row(guide, [column.header, ("必填。" if column.required else "") + column.guide])
    for title, mapping in (
        ("证件类型", columns.DOCUMENT_TYPES),
        ("居住类型", columns.RESIDENCE_TYPES),
        ("与户主关系", columns.RELATIONS),
    ):
        append_row(guide, [title, "可填：" + "、".join(mapping)])
    workbook.save(target)
