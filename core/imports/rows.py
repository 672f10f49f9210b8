"""Validate the rows of a register workbook, a batch at a time, into resident columns.

Each row goes through the same rules as a resident typed in by hand (core.registry.identity).
References are looked up once per batch (a handful of queries per thousand rows) and only among
what the uploader may import into: a house outside their scope reads exactly like a house that
does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.api.validators import invalid_texts
from core.imports import columns
from core.imports.workbook import cell_text
from core.regions.models import Region
from core.regions.paths import is_under
from core.registry.identity import (
    NAME_HOLDS_PERSONAL_DATA,
    check_birth_date,
    identity_columns,
    name_holds_personal_data,
    name_pinyin,
    phone_columns,
)
from core.registry.models import House, Household, Resident

PERMISSION = "registry.import"
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Identity and phone errors come keyed by model field; the report names the column.
_FIELD_HEADERS = {
    "document_number": "证件号码",
    "birth_date": "出生日期",
    "sex": "性别",
    "mobile": "手机号码",
    "landline": "固定电话",
}
_MAX_LENGTHS = {"name": 50, "ethnicity": 20, "household_number": 32, "registered_address": 255, "note": 255}


@dataclass
class RowError:
    row: int
    values: dict[str, Any]
    messages: list[str]


@dataclass
class NewHousehold:
    """A household number first seen in this file: created when its first valid row is written."""

    number: str
    house_id: int | None
    region_id: int
    region_path: str
    householder_row: int | None = None


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    columns: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    house_ref: str = ""
    address_ref: str = ""
    grid_ref: str = ""
    household_ref: str = ""

    def fail(self, header: str, message: str) -> None:
        self.errors.append(f"{header}：{message}")


class RowValidator:
    """Holds what must be remembered across batches: ID numbers seen, households started."""

    def __init__(self, *, region: Region, user, today: date) -> None:
        self.region = region
        self.user = user
        self.today = today
        self.seen_documents: dict[str, int] = {}
        self.new_households: dict[str, NewHousehold] = {}
        # Existing households given a householder by an earlier row of this file.
        self.householder_rows: dict[int, int] = {}
        grids = Region.objects.filter(level=Region.Level.GRID, path__startswith=region.path)
        self.grids = {grid.name: grid for grid in grids}
        if region.level == Region.Level.GRID:
            self.grids[region.name] = region

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> tuple[list[dict], list[RowError]]:
        """(valid rows as Resident column dicts, errors), in file order."""
        return self.resolve(self.check_rows(records))

    def check_rows(self, records: list[tuple[int, dict[str, Any]]]) -> list[_Row]:
        """Each row on its own: no query and no state shared across rows, so a batch can be
        checked in another thread while the previous one is resolved and written."""
        return [self._parse(number, values) for number, values in records]

    def resolve(self, rows: list[_Row]) -> tuple[list[dict], list[RowError]]:
        """References and duplicates, a few queries per batch: batches in file order."""
        houses, addresses = self._houses(rows)
        households = self._households(rows)
        registered = self._registered(rows)
        valid, errors = [], []
        for row in rows:
            self._resolve_place(row, houses, addresses)
            self._check_document(row, registered)
            if not row.errors:
                self._resolve_household(row, households)
            if row.errors:
                errors.append(RowError(row.number, row.values, row.errors))
            else:
                row.columns["_row"] = row.number
                valid.append(row.columns)
        return valid, errors

    # --- one row, no queries ---------------------------------------------------------------

    def _parse(self, number: int, values: dict[str, Any]) -> _Row:
        row = _Row(number, values)
        # Most cells of a row are empty: skip cell_text for those.
        text = {key: "" if (v := values.get(key)) is None else cell_text(v) for key in columns.HEADERS}
        for key, message in invalid_texts(text).items():  # the one text rule (core/api/validators.py)
            row.fail(columns.HEADERS[key], message)
        for key, max_length in _MAX_LENGTHS.items():
            if len(text[key]) > max_length:
                row.fail(columns.HEADERS[key], _("At most %(max)d characters.") % {"max": max_length})
        name = text["name"]
        if not name:
            row.fail(columns.HEADERS["name"], _("This column is required."))
        elif not name.isprintable():
            row.fail(columns.HEADERS["name"], _("The name has characters that are not allowed."))
        elif name_holds_personal_data(name):
            row.fail(columns.HEADERS["name"], str(NAME_HOLDS_PERSONAL_DATA))
        document_type = self._choice(row, "document_type", columns.DOCUMENT_TYPES, "id_card", text)
        sex = self._choice(row, "sex", columns.SEXES, "", text)
        residence_type = self._choice(row, "residence_type", columns.RESIDENCE_TYPES, "registered", text)
        relation = self._choice(row, "relation", columns.RELATIONS, "", text)
        birth_date = self._date(row, "birth_date", values.get("birth_date"))
        moved_in_on = self._date(row, "moved_in_on", values.get("moved_in_on"))
        if moved_in_on and moved_in_on > self.today:
            row.fail(columns.HEADERS["moved_in_on"], _("The date is in the future."))
        identity = {}
        if document_type is not None:
            try:
                identity = identity_columns(
                    document_type, text["document_number"], birth_date, sex or "", today=self.today
                )
                check_birth_date(identity["birth_date"], self.today)
            except ValidationError as error:
                self._fail_validation(row, error)
        if document_type == "id_card" and sex and identity and identity["sex"] != sex:
            row.fail(columns.HEADERS["sex"], _("The sex differs from the one in the ID number."))
        phones = {}
        try:
            phones = phone_columns(text["mobile"], text["landline"])
        except ValidationError as error:
            self._fail_validation(row, error)
        row.house_ref, row.address_ref = text["house"], text["house_address"]
        row.grid_ref, row.household_ref = text["grid"], text["household_number"]
        if not (row.house_ref or row.address_ref or row.grid_ref):
            row.fail(columns.HEADERS["house"], _("Give the house number, the house address or the grid."))
        if row.errors:
            return row
        initials, pinyin = name_pinyin(name)
        row.columns = {
            "name": name,
            "name_initials": initials,
            "name_pinyin": pinyin,
            "document_type": document_type,
            **identity,
            **phones,
            "ethnicity": text["ethnicity"],
            "residence_type": residence_type,
            "relation": relation or Resident.Relation.OTHER,
            "registered_address": text["registered_address"],
            "moved_in_on": moved_in_on,
            "note": text["note"],
            "status": Resident.Status.ACTIVE,
            "created_by_id": self.user.pk,
        }
        return row

    def _choice(self, row: _Row, key: str, mapping: dict[str, str], default: str, text: dict) -> str | None:
        value = text[key]
        if not value:
            return default
        if value in mapping:
            return mapping[value]
        if value in mapping.values():
            return value
        row.fail(
            columns.HEADERS[key],
            _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": "、".join(mapping)},
        )
        return None

    def _date(self, row: _Row, key: str, value: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        match = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        row.fail(columns.HEADERS[key], _("Enter a real date as YYYY-MM-DD, such as 1990-01-31."))
        return None

    def _fail_validation(self, row: _Row, error: ValidationError) -> None:
        for field_name, messages in error.message_dict.items():
            header = _FIELD_HEADERS.get(field_name, columns.HEADERS.get(field_name, field_name))
            for message in messages:
                row.fail(header, message)

    # --- references, a few queries per batch ---------------------------------------------

    def _visible_houses(self):
        return House.objects.visible_to(self.user, PERMISSION)

    def _houses(self, rows: list[_Row]) -> tuple[dict[int, dict], dict[str, list[dict]]]:
        fields = ("id", "address", "region_id", "region__path", "region__name")
        ids = {int(r.house_ref) for r in rows if r.house_ref.isdigit() and len(r.house_ref) < 19}
        by_id = {h["id"]: h for h in self._visible_houses().filter(id__in=ids).values(*fields)} if ids else {}
        for house in by_id.values():  # judged once per house, not once per row naming it
            house["_inside"] = is_under(house["region__path"], self.region.path)
        wanted = {r.address_ref for r in rows if r.address_ref and not r.house_ref}
        by_address: dict[str, list[dict]] = {}
        if wanted:
            houses = self._visible_houses().under(self.region.path).filter(address__in=wanted)
            for house in houses.values(*fields):
                by_address.setdefault(house["address"], []).append(house)
        return by_id, by_address

    def _households(self, rows: list[_Row]) -> dict[str, list[dict]]:
        numbers = {r.household_ref for r in rows if r.household_ref} - set(self.new_households)
        found: dict[str, list[dict]] = {}
        if numbers:
            households = (
                Household.objects.visible_to(self.user, PERMISSION)
                .under(self.region.path)
                .filter(number__in=numbers)
                .values("id", "number", "householder_id")
            )
            for household in households:
                found.setdefault(household["number"], []).append(household)
        return found

    def _registered(self, rows: list[_Row]) -> set[str]:
        """The batch's document indexes already in the register, by the unique index's own columns
        (type, index, and its partial condition) so that PostgreSQL answers from the index."""
        by_type: dict[str, set[str]] = {}
        for row in rows:
            if row.columns.get("document_number_index"):
                by_type.setdefault(row.columns["document_type"], set()).add(
                    row.columns["document_number_index"]
                )
        if not by_type:
            return set()
        condition = reduce(
            or_,
            (Q(document_type=kind, document_number_index__in=indexes) for kind, indexes in by_type.items()),
        )
        found = Resident.objects.filter(condition).exclude(document_number_index="")
        return set(found.values_list("document_number_index", flat=True))

    def _resolve_place(self, row: _Row, houses: dict[int, dict], addresses: dict[str, list[dict]]) -> None:
        house = None
        header = columns.HEADERS["house"]
        if row.house_ref:
            house = houses.get(int(row.house_ref)) if row.house_ref.isdigit() else None
            if house is None:
                row.fail(header, _("There is no house numbered %(value)s.") % {"value": row.house_ref})
            elif not house["_inside"]:
                row.fail(
                    header,
                    _("House %(value)s is not in %(region)s.")
                    % {"value": row.house_ref, "region": self.region.name},
                )
                house = None
        elif row.address_ref:
            header = columns.HEADERS["house_address"]
            candidates = addresses.get(row.address_ref, [])
            if len(candidates) == 1:
                house = candidates[0]
            elif not candidates:
                row.fail(
                    header,
                    _("There is no house at this address in %(region)s.") % {"region": self.region.name},
                )
            else:
                row.fail(header, _("Several houses have this address; give the house number instead."))
        grid = None
        if row.grid_ref:
            grid = self.grids.get(row.grid_ref)
            if grid is None:
                row.fail(
                    columns.HEADERS["grid"],
                    _("There is no grid named “%(value)s” in %(region)s.")
                    % {"value": row.grid_ref, "region": self.region.name},
                )
            elif house is not None and house["region_id"] != grid.pk:
                row.fail(columns.HEADERS["grid"], _("The house is not in this grid."))
        if row.errors:
            return
        if house is not None:
            row.columns.update(
                house_id=house["id"], region_id=house["region_id"], region_path=house["region__path"]
            )
        else:
            row.columns.update(house_id=None, region_id=grid.pk, region_path=grid.path)

    def _check_document(self, row: _Row, registered: set[str]) -> None:
        index = row.columns.get("document_number_index")
        if not index:
            return
        header = columns.HEADERS["document_number"]
        first = self.seen_documents.setdefault(index, row.number)
        if first != row.number:
            row.fail(header, _("The same document number is in row %(row)d of this file.") % {"row": first})
        elif index in registered:
            row.fail(header, _("A resident with this document number is already registered."))

    def _resolve_household(self, row: _Row, existing: dict[str, list[dict]]) -> None:
        number = row.household_ref
        row.columns["household_id"] = None
        if not number:
            return
        header = columns.HEADERS["household_number"]
        is_householder = row.columns["relation"] == Resident.Relation.SELF
        if number in self.new_households:
            household = self.new_households[number]
            if is_householder and household.householder_row is not None:
                row.fail(
                    columns.HEADERS["relation"],
                    _("Household %(number)s already has its householder in row %(row)d.")
                    % {"number": number, "row": household.householder_row},
                )
                return
        elif number in existing:
            if len(existing[number]) > 1:
                row.fail(
                    header,
                    _("Several households have this number in %(region)s.") % {"region": self.region.name},
                )
                return
            found = existing[number][0]
            if is_householder and (found["householder_id"] or found["id"] in self.householder_rows):
                row.fail(
                    columns.HEADERS["relation"],
                    _("Household %(number)s already has a householder.") % {"number": number},
                )
                return
            if is_householder:
                self.householder_rows[found["id"]] = row.number
            row.columns["household_id"] = found["id"]
            return
        else:
            household = self.new_households[number] = NewHousehold(
                number=number,
                house_id=row.columns["house_id"],
                region_id=row.columns["region_id"],
                region_path=row.columns["region_path"],
            )
        if is_householder:
            household.householder_row = row.number
        row.columns["_household"] = number
