"""Export a filtered resident list to .xlsx: masked by default, unmasked only as an audited reveal.

The ids are fixed first (capped), so what is audited is exactly what is written; rows are then
read and written a chunk at a time into a write-only workbook on disk, so memory stays flat
whatever the list's size.
"""

from __future__ import annotations

import tempfile
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import ApplicationError, Forbidden
from core.audit.services import audit_record
from core.imports import columns, workbook
from core.imports.errors import ImportsError
from core.imports.limits import limit
from core.pii.masking import mask_free_text
from core.regions.scoping import scope_for, under
from core.registry.minors import shown_name
from core.registry.models import Resident, ResidentTag

CHUNK = 1_000
REVEAL = "registry.reveal"
ID_HEADER = "居民编号"
STATUS_HEADER = "状态"
TAGS_HEADER = "标签"
STATUS_LABELS = {"active": "在册", "moved_out": "已迁出", "deceased": "已故"}
_FIELDS = (
    "id",
    "name",
    "document_type",
    "birth_date",
    "sex",
    "ethnicity",
    "residence_type",
    "house_id",
    "house__address",
    "region__name",
    "household__number",
    "relation",
    "registered_address",
    "moved_in_on",
    "note",
    "status",
)
_MASKED = ("document_number_masked", "mobile_masked", "landline_masked")
_FULL = ("document_number_encrypted", "mobile_encrypted", "landline_encrypted")


def export_residents(*, user, queryset, unmasked: bool = False, purpose: str = "", request=None) -> IO[bytes]:
    """Write the residents of `queryset` (already scoped and filtered) to a temporary .xlsx file."""
    purpose = (purpose or "").strip()
    if unmasked and not purpose:
        raise ApplicationError(
            _("State why the full ID numbers and phones are needed."),
            code=ImportsError.PURPOSE_REQUIRED,
            fields={"purpose": [_("This field is required.")]},
        )
    if not queryset.ordered:
        queryset = queryset.order_by("id")
    cap = limit("EXPORT_MAX_ROWS")
    ids = list(queryset.values_list("id", flat=True)[: cap + 1])
    if len(ids) > cap:
        raise ApplicationError(
            _("The list has more than %(max)d residents; narrow the filters to export it.") % {"max": cap},
            code=ImportsError.EXPORT_TOO_LARGE,
        )
    if unmasked:
        with transaction.atomic():
            reveal_paths = scope_for(user).paths_with(REVEAL)
            if not reveal_paths or queryset.exclude(under(reveal_paths)).exists():
                raise Forbidden(_("You may not see the full personal data of every resident listed."))
            audit_record(
                actor=user,
                action="registry.resident.export_unmasked",
                object_type="registry.resident",
                object_ids=ids,
                purpose=purpose,
                request=request,
                extra={"count": len(ids), "filters": _filters(request)},
            )
    return _write(ids, unmasked)


def _filters(request) -> dict:
    if request is None:
        return {}
    return {key: request.GET.getlist(key) for key in request.GET if key not in ("purpose",)}


def _write(ids: list[int], unmasked: bool) -> IO[bytes]:
    from core.registry.tags import tag_kinds

    kinds = tag_kinds()
    headers = [ID_HEADER, *(c.header for c in columns.COLUMNS), STATUS_HEADER, TAGS_HEADER]
    widths = [10, *(c.width for c in columns.COLUMNS), 8, 24]
    book, sheet = workbook.new_sheet(columns.SHEET_TITLE, headers, widths)
    personal = _FULL if unmasked else _MASKED
    today = timezone.localdate()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row[0]: row for row in Resident.objects.filter(id__in=chunk).values_list(*_FIELDS, *personal)}
        tags: dict[int, list[str]] = {}
        current = ResidentTag.objects.current(today).filter(resident_id__in=chunk).order_by("tag")
        for resident_id, key in current.values_list("resident_id", "tag"):
            kind = kinds.get(key)
            tags.setdefault(resident_id, []).append(str(kind.name) if kind else key)
        for pk in chunk:
            if pk in rows:
                workbook.append_row(sheet, _cells(rows[pk], tags.get(pk, []), unmasked, today))
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams it, then closes it
    book.save(target)
    target.seek(0)
    return target


def _birth(birth_date, unmasked: bool) -> str:
    if not birth_date:
        return ""
    return birth_date.isoformat() if unmasked else str(birth_date.year)


def _cells(row: tuple, tags: list[str], unmasked: bool, today) -> list:
    (pk, name, document_type, birth_date, sex, ethnicity, residence_type, house_id, address, grid) = row[:10]
    (household, relation, registered_address, moved_in_on, note, status) = row[10:16]
    document_number, mobile, landline = row[16:]
    by_key = {
        # A minor's name is personal data too: masked unless this is an unmasked export.
        "name": name if unmasked else shown_name(name, birth_date, today),
        "document_type": columns.label_of(columns.DOCUMENT_TYPES, document_type),
        "document_number": document_number,
        # Masked: the year only (with the masked ID number, a full date narrows a person down).
        "birth_date": _birth(birth_date, unmasked),
        "sex": columns.label_of(columns.SEXES, sex) if sex else "",
        "ethnicity": ethnicity,
        "mobile": mobile,
        "landline": landline,
        "residence_type": columns.label_of(columns.RESIDENCE_TYPES, residence_type),
        "house": house_id,
        "house_address": address or "",
        "grid": grid or "",
        "household_number": household or "",
        "relation": columns.label_of(columns.RELATIONS, relation),
        "registered_address": registered_address,
        "moved_in_on": moved_in_on.isoformat() if moved_in_on else "",
        "note": note,
    }
    cells = [
        pk,
        *(by_key[c.key] for c in columns.COLUMNS),
        STATUS_LABELS.get(status, status),
        "、".join(tags),
    ]
    return cells if unmasked else _masked_free_text(cells)


def _masked_free_text(cells: list) -> list:
    """A masked export masks ID numbers and phones typed into free text (a note, an address) too;
    an unmasked export is an audited reveal of the whole row and keeps what was typed."""
    return [mask_free_text(cell) if isinstance(cell, str) else cell for cell in cells]
