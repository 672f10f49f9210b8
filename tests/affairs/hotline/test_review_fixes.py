"""Security review fixes to the batch import: decompression bombs, over-long cells, routing only
inside the importer's area, and ticket numbers an import cannot squat."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from affairs.hotline.models import HotlineTicket
from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.regions.models import Region
from core.registry.models import House
from core.workflow.models import Event
from tests.affairs.hotline.conftest import push, ticket_body, ticket_url, transition
from tests.helpers import client_for
from tests.world import make_staff, region

IMPORTS = "/api/v1/hotline/imports/"
HEADER = ["ticket_no", "category", "content", "address", "received_at", "deadline"]


def _upload(user, name: str, content: bytes):
    return client_for(user).post(IMPORTS, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def _xlsx(*rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(number: str, address: str = "", content: str = "楼道堆放杂物") -> list[str]:
    return [number, "环境卫生", content, address, "2024-05-01 09:00", "2024-05-06 17:00"]


def _bomb(unpacked_bytes: int) -> bytes:
    """A valid workbook whose sheet XML is padded with a comment: a few KB packed, MBs unpacked."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(_row("GD-BOMB"))))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<!--" + b" " * unpacked_bytes + b"-->" + data
            bomb.writestr(info.filename, data)
    return target.getvalue()


def test_an_xlsx_that_unpacks_over_the_limit_is_refused_before_parsing(world, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    content = _bomb(4 * 1024 * 1024)
    assert len(content) < 100_000
    started = time.monotonic()
    response = _upload(world.street_staff, "tickets.xlsx", content)
    assert time.monotonic() - started < 2
    assert response.status_code == 400, response.content
    assert "file" in response.json()["error"]["fields"]
    assert not HotlineTicket.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="hotline.").exists()
    # The same workbook under the limit is read as usual.
    settings.IMPORT_MAX_UNPACKED_BYTES = 8 * 1024 * 1024
    assert _upload(world.street_staff, "tickets.xlsx", content).json()["created"] == 1


def test_an_over_long_cell_is_a_row_error_and_far_columns_are_not_read(world):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(_row("GD-LONG", content="长" * 5001))
    book.active.append(_row("GD-OK"))
    book.active.cell(row=3, column=500, value="x" * 6000)  # past the columns read
    buffer = io.BytesIO()
    book.save(buffer)
    body = _upload(world.street_staff, "tickets.xlsx", buffer.getvalue()).json()
    assert body["created"] == 1 and [(e["row"], e["field"]) for e in body["errors"]] == [(2, "content")]
    assert list(HotlineTicket.objects.values_list("ticket_no", flat=True)) == ["GD-OK"]


@pytest.fixture
def two_streets(world, settings):
    """The centre serves the district; a second street with a house the first street's staff
    must not route to."""
    settings.HOTLINE_REGION_CODE = world.district.code
    street_2 = region("弋江街道", Region.Level.STREET, world.district)
    community = region("丙社区", Region.Level.COMMUNITY, street_2)
    grid = region("第1网格", Region.Level.GRID, community)
    house = House.objects.create(region=grid, region_path=grid.path, address="中山路77号")
    other_staff = make_staff(Role.STREET_STAFF, street_2, username="street_of_2")
    lead = make_staff(Role.GRID_WORKER, grid, is_lead=True, username="lead_of_2")
    RoleAssignment.objects.update(starts_on="2020-01-01")
    return street_2, grid, house, other_staff, lead


def test_an_imported_row_is_routed_only_inside_the_importers_area(world, two_streets):
    _street_2, grid, house, other_staff, _lead = two_streets
    body = _upload(
        world.street_staff, "t.xlsx", _xlsx(_row("GD-SQUAT", address=house.address, content="伪造内容"))
    ).json()
    assert body["created"] == 1, body
    ticket = HotlineTicket.objects.get(ticket_no="GD-SQUAT")
    # Not routed into street 2: unrouted at the importer's own street, which sees it.
    assert (ticket.status, ticket.region_id, ticket.event_id) == ("unrouted", world.street.pk, None)
    assert (ticket.origin, ticket.imported_by_id) == ("import", world.street_staff.pk)
    assert client_for(world.street_staff).get(ticket_url(ticket.pk)).status_code == 200
    assert client_for(other_staff).get(ticket_url(ticket.pk)).status_code == 404

    # The centre's genuine signed push of that number wins: content replaced, routed, audited.
    genuine = ticket_body("GD-SQUAT", address=house.address, content="真实诉求")
    response = push(genuine)
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert (ticket.content, ticket.origin, ticket.imported_by_id) == ("真实诉求", "push", None)
    assert (ticket.status, ticket.region_id) == ("handling", grid.pk)
    assert ticket.event.house_id == house.pk
    replaced = AuditEvent.objects.get(action="hotline.ticket.replace_import")
    assert replaced.extra["previous"]["content"] == "伪造内容"
    assert client_for(other_staff).get(ticket_url(ticket.pk)).status_code == 200
    # The same push again is a plain repeat.
    assert push(genuine).status_code == 200 and HotlineTicket.objects.count() == 1


def test_a_routed_import_is_replaced_until_someone_accepts_it(world, two_streets):
    _upload(
        world.street_staff,
        "t.csv",
        "\n".join([",".join(HEADER), ",".join(_row("GD-R", "滨江路1号1栋101"))]).encode(),
    )
    ticket = HotlineTicket.objects.get(ticket_no="GD-R")
    assert ticket.status == "handling" and ticket.region_id == world.grid_a1.pk
    first_event = ticket.event_id
    assert push(ticket_body("GD-R", content="中心的内容")).status_code == 200
    ticket.refresh_from_db()
    assert ticket.content == "中心的内容" and ticket.event_id != first_event
    assert Event.objects.get(pk=first_event).state == "rejected"
    assert ticket.event.state == "reported"

    # A pushed ticket, or one being worked on, is not replaced: 409 in the one error shape.
    transition(world.lead, ticket.event_id, "accept")
    response = push(ticket_body("GD-R", content="又一个版本"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ticket_conflict"
    ticket.refresh_from_db()
    assert ticket.content == "中心的内容"


def test_an_import_worked_on_keeps_its_content_against_a_differing_push(world):
    _upload(
        world.street_staff,
        "t.csv",
        "\n".join([",".join(HEADER), ",".join(_row("GD-W", "滨江路1号1栋101"))]).encode(),
    )
    ticket = HotlineTicket.objects.get(ticket_no="GD-W")
    transition(world.lead, ticket.event_id, "accept")
    response = push(ticket_body("GD-W", content="不同"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "ticket_conflict"
    ticket.refresh_from_db()
    assert (ticket.content, ticket.origin) == ("楼道堆放杂物", "import")


def test_an_importer_outside_the_centres_region_is_refused(world, two_streets, settings):
    street_2 = two_streets[0]
    settings.HOTLINE_REGION_CODE = street_2.code = "340202200"
    street_2.save()
    response = _upload(world.street_staff, "t.xlsx", _xlsx(_row("GD-OUT")))
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    assert not HotlineTicket.objects.exists()


def test_an_importer_of_two_streets_routes_inside_them_or_gets_a_row_error(world, two_streets):
    street_2, grid, house, _other, _lead = two_streets
    both = make_staff(Role.STREET_STAFF, world.street, username="both_streets")
    RoleAssignment.objects.create(user=both, role=Role.STREET_STAFF, region=street_2, starts_on="2020-01-01")
    RoleAssignment.objects.update(starts_on="2020-01-01")
    content = _xlsx(_row("GD-IN", address=house.address), _row("GD-NOWHERE", address="外省某地"))
    response = _upload(both, "t.xlsx", content)
    body = response.json()
    assert response.status_code == 200, body
    assert body["created"] == 1 and [(e["row"], e["field"]) for e in body["errors"]] == [(3, "address")]
    assert HotlineTicket.objects.get(ticket_no="GD-IN").region_id == grid.pk
