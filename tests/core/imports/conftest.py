"""A small register to import into: one street with communities 甲 and 乙 (the importer works in
both), 丙 (not theirs), a grid and houses in each, and helpers to build workbooks."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import Workbook

from core.accounts.models import RoleAssignment, User
from core.accounts.roles import Role
from core.imports import columns
from core.pii.validators import id_number_check_char
from core.regions.models import Region
from core.registry.identity import identity_columns, name_pinyin, phone_columns
from core.registry.models import House, Resident

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
    grid_worker: User  # grid worker of 甲's grid: may export, may not reveal
    street_staff: User


def _place(street: Region, name: str) -> Place:
    community = Region.objects.create(level=Region.Level.COMMUNITY, name=name, parent=street)
    grid = Region.objects.create(level=Region.Level.GRID, name="第1网格", parent=community)
    grid.refresh_from_db()
    house = House.objects.create(region=grid, region_path=grid.path, address=f"{name}1栋101室", number="101")
    return Place(community=Region.objects.get(pk=community.pk), grid=grid, house=house)


def make_user(username: str, *grants: tuple[str, Region]) -> User:
    user = User.objects.create(username=username)
    for role, region in grants:
        RoleAssignment.objects.create(user=user, role=role, region=region, is_lead=role == Role.GRID_WORKER)
    return user


@pytest.fixture
def register(db) -> Register:
    city = Region.objects.create(level=Region.Level.CITY, name="芜湖市", code="340200")
    district = Region.objects.create(level=Region.Level.DISTRICT, name="镜湖区", code="340202", parent=city)
    street = Region.objects.create(level=Region.Level.STREET, name="滨江街道", parent=district)
    street.refresh_from_db()
    a, b, c = _place(street, "甲社区"), _place(street, "乙社区"), _place(street, "丙社区")
    return Register(
        street=street,
        a=a,
        b=b,
        c=c,
        importer=make_user(
            "importer", (Role.COMMUNITY_WORKER, a.community), (Role.COMMUNITY_WORKER, b.community)
        ),
        grid_worker=make_user("gridworker", (Role.GRID_WORKER, a.grid)),
        street_staff=make_user("streetstaff", (Role.STREET_STAFF, street)),
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
