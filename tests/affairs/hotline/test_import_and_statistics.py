"""The batch import fallback and the statistics."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from affairs.hotline.models import HotlineTicket
from tests.affairs.hotline.conftest import VISITS, push, signed_post, ticket_body, ticket_url, transition
from tests.helpers import client_for

IMPORTS = "/api/v1/hotline/imports/"
HEADER = [
    "ticket_no",
    "category",
    "content",
    "address",
    "caller_name",
    "caller_phone",
    "received_at",
    "deadline",
]


def _upload(user, name: str, content: bytes):
    return client_for(user).post(IMPORTS, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_csv_in_gbk_keeps_valid_rows_and_reports_bad_ones(world):
    known = ticket_body(
        "GD-KNOWN", address="", received_at="2024-05-01T09:00:00+08:00", deadline="2024-05-06T17:00:00+08:00"
    )
    push(known)
    lines = [
        ",".join(HEADER),
        "GD-1,市容,井盖缺失,滨江路1号1栋101,李四,13900001111,2024-05-01 09:00,2024-05-06 17:00",
        "GD-2,噪音,夜间施工,,,,2024-05-01 09:00,2024-04-30 17:00",  # deadline before received
        # The pushed ticket again, field for field (the same instants, written the centre's way).
        f"GD-KNOWN,{known['category']},{known['content']},,{known['caller_name']},{known['caller_phone']},"
        "2024-05-01 09:00,2024-05-06 17:00",
        "GD-3,,缺类别,,,,2024-05-01 09:00,2024-05-06 17:00",
        "GD-KNOWN,市容,重复但内容不同,,,,2024-05-01 09:00,2024-05-06 17:00",  # same number, other fields
    ]
    response = _upload(world.street_staff, "tickets.csv", "\n".join(lines).encode("gbk"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["repeated"], body["rows"]) == (1, 1, 5)
    assert {(e["row"], e["field"]) for e in body["errors"]} == {
        (3, "deadline"),
        (5, "category"),
        (6, "ticket_no"),
    }
    assert set(HotlineTicket.objects.values_list("ticket_no", flat=True)) == {"GD-KNOWN", "GD-1"}
    assert HotlineTicket.objects.get(ticket_no="GD-KNOWN").content == known["content"]
    imported = HotlineTicket.objects.get(ticket_no="GD-1")
    assert imported.status == "handling" and imported.caller_name == "李四"
    assert (imported.origin, imported.imported_by) == ("import", world.street_staff)


def test_an_xlsx_import_and_who_may_import(world):
    book = Workbook()
    book.active.append(["工单编号", "类别", "内容", "地址", "受理时间", "办理时限"])
    book.active.append(
        ["GD-X1", "供水", "停水", "滨江路9号2栋202", datetime(2024, 5, 1, 9), datetime(2024, 5, 3, 9)]
    )
    book.active.append(["GD-X2", "供水", "停水", "", "not a date", datetime(2024, 5, 3, 9)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(world.secretary, "t.xlsx", buffer.getvalue()).status_code == 403
    response = _upload(world.district_staff, "t.xlsx", buffer.getvalue())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 1 and [(e["row"], e["field"]) for e in body["errors"]] == [(3, "received_at")]
    assert HotlineTicket.objects.get(ticket_no="GD-X1").region_id == world.grid_b1.pk


def test_files_that_are_not_tickets(world):
    for name, content in (("x.pdf", b"%PDF-1.4"), ("x.xlsx", b"PK\x03\x04broken"), ("x.csv", b"a,b\n1,2")):
        response = _upload(world.street_staff, name, content)
        assert response.status_code == 400 and "file" in response.json()["error"]["fields"], response.content
    big = b"a" * (2 * 1024 * 1024 + 1)
    assert _upload(world.street_staff, "big.csv", big).status_code in (400, 413)
    assert not HotlineTicket.objects.exists()


def _handled(world, number: str, *, replied_late: bool = False):
    received = timezone.now() - timedelta(days=10 if replied_late else 1)
    ticket = HotlineTicket.objects.get(
        pk=push(
            ticket_body(
                number, received_at=received.isoformat(), deadline=(received + timedelta(days=2)).isoformat()
            )
        ).json()["id"]
    )
    transition(world.lead, ticket.event_id, "accept")
    transition(world.lead, ticket.event_id, "assign", assignee=world.lead.pk)
    if replied_late:  # overdue: escalated, taken over by the community
        from core.workflow.escalation import escalate_overdue

        escalate_overdue()
        transition(world.secretary, ticket.event_id, "take_over")
        transition(world.secretary, ticket.event_id, "assign", assignee=world.lead.pk)
    transition(world.lead, ticket.event_id, "start")
    assert (
        client_for(world.lead)
        .post(ticket_url(ticket.pk, "reply/"), {"text": "已办理"}, format="json")
        .status_code
        == 200
    )
    return ticket


def test_statistics(world, centre, django_assert_max_num_queries):
    _handled(world, "S-1")
    _handled(world, "S-2", replied_late=True)
    _handled(world, "S-3")
    push(ticket_body("S-4", address="无法识别"))
    assert (
        signed_post(VISITS, {"ticket_no": "S-1", "visit_no": "V-S-1", "result": "satisfied"}).status_code
        == 200
    )
    assert (
        signed_post(VISITS, {"ticket_no": "S-2", "visit_no": "V-S-2", "result": "unsatisfied"}).status_code
        == 200
    )
    assert (
        signed_post(VISITS, {"ticket_no": "S-3", "visit_no": "V-S-3", "result": "unreachable"}).status_code
        == 200
    )

    street = client_for(world.street_staff)
    stats = street.get("/api/v1/hotline/statistics/").json()
    expected = {
        "received": 4,
        "routed": 3,
        "unrouted": 1,
        "replied": 3,
        "replied_on_time": 2,
        "on_time_rate": 0.6667,
        "rehandled": 1,
        "rehandlings": 1,
        "bounced": 0,
        "closed": 2,
        "satisfied": 1,
        "unsatisfied": 1,
        "unreachable": 1,
    }
    assert {key: stats[key] for key in expected} == expected
    # Narrowed to a community in scope: the unrouted ticket (at the street) is not in it.
    community = street.get(f"/api/v1/hotline/statistics/?region={world.community_a.pk}").json()
    assert (community["received"], community["unrouted"]) == (3, 0)
    # A region outside the caller's scope is the not-found 400.
    response = client_for(world.secretary).get(f"/api/v1/hotline/statistics/?region={world.street.pk}")
    assert response.status_code == 400 and "region" in response.json()["error"]["fields"]
    assert client_for(world.worker_b).get("/api/v1/hotline/statistics/").json()["received"] == 0
    from affairs.hotline.selectors import statistics

    with django_assert_max_num_queries(2):
        statistics(user=world.district_staff)
