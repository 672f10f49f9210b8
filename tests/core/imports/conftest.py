"""A small register to import into: one street with communities 甲 and 乙 (the importer works in
both), 丙 (not theirs), a grid and houses in each, and helpers to build workbooks."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import Workbook

from core.accounts.models import User
from core.accounts.roles import Role
from core.imports import columns
from core.pii.validators import id_number_check_char
from core.regions.models import Region
from core.registry.identity import identity_columns, name_pinyin, phone_columns
from core.registry.models import House, Resident
from tests.world import build_world, grant, make_staff, region

_sequence = itertools.count(11)


def valid_id(birth: date = date(1990, 1, 1), area: str = "340202") -> str:
    """A valid ID number, different on every call."""
    first17 = f"{area}{birth:%Y%m%d}{next(_sequence) % 1000:03d}"
    return first17 + id_number_check_char(first17)


def broken_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def workbook_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    """A workbook with the template's headers (or `headers`) and rows keyed by column key."""
    headers = headers or [c.header for c in columns.COLUMNS]
    keys = {c.header: c.key for c in columns.COLUMNS}
    book = Workbook()
    sheet = book.active
    sheet.title = columns.SHEET_TITLE
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(keys.get(h, h)) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_file(content: bytes, name: str = "居民.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_resident(grid: Region, name: str = "王五", number: str | None = None, **fields) -> Resident:
    number = number or valid_id()
    initials, pinyin = name_pinyin(name)
    return Resident.objects.create(
        name=name,
        name_initials=initials,
        name_pinyin=pinyin,
        region=grid,
        region_path=grid.path,
        **identity_columns("id_card", number),
        **phone_columns(fields.pop("mobile", "13912345678")),
        **fields,
    )


@dataclass
class Place:
    community: Region
    grid: Region
    house: House


@dataclass
class Register:
    street: Region
    a: Place
    b: Place
    c: Place
    importer: User  # community worker of 甲 and 乙
    grid_worker: User  # the lead grid worker of 甲's first grid: may export, may not reveal
    street_staff: User


def _place(community: Region, grid: Region) -> Place:
    """A house numbered 101 in the community's grid, named after the community."""
    house = House.objects.create(
        region=grid, region_path=grid.path, address=f"{community.name}1栋101室", number="101"
    )
    return Place(community=community, grid=grid, house=house)


@pytest.fixture
def register(db) -> Register:
    """The world with an empty register (these tests count every row), a third community 丙社区
    under its street, a house in the first grid of each community, and an importer working in 甲
    and 乙 (not 丙)."""
    world = build_world(register_rows=False)
    c_community = region("丙社区", Region.Level.COMMUNITY, world.street)
    c_grid = region("第1网格", Region.Level.GRID, c_community)
    importer = make_staff(Role.COMMUNITY_WORKER, world.community_a, username="importer")
    grant(importer, Role.COMMUNITY_WORKER, world.community_b)
    return Register(
        street=world.street,
        a=_place(world.community_a, world.grid_a1),
        b=_place(world.community_b, world.grid_b1),
        c=_place(c_community, c_grid),
        importer=importer,
        grid_worker=world.lead,
        street_staff=world.street_staff,
    )


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded files and reports go to a temporary folder, not var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The tasks of this part run in-process in both modes (tests/conftest.py)."""
