"""The events API: contract, scope and the one error shape."""

from __future__ import annotations

import io

import pytest

from core.audit.models import AuditEvent
from core.workflow.models import Event
from tests.helpers import assert_error, client_for

URL = "/api/v1/events/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def report(client, world, **fields):
    body = {"type": "tests.hazard", "title": "楼道堆物", "house": world.house_a.pk}
    body.update(fields)
    body = {key: value for key, value in body.items() if value is not None}
    return client.post(URL, body, format="json")


def test_report_answers_201_then_a_duplicate_answers_200_merged(world):
    first = report(client_for(world.grid_worker), world)
    assert first.status_code == 201, first.content
    assert first.json()["merged"] is False
    again = report(client_for(world.resident_user), world)
    assert again.status_code == 200
    assert again.json() == {**again.json(), "id": first.json()["id"], "merged": True}


def test_a_house_of_another_community_is_400_like_one_that_does_not_exist(world):
    other = report(client_for(world.grid_worker), world, house=world.house_b.pk)
    missing = report(client_for(world.grid_worker), world, house=999999)
    assert assert_error(other, 400, "invalid", fields=["house"]) == assert_error(
        missing, 400, "invalid", fields=["house"]
    )
    assert Event.objects.count() == 0


def test_unknown_fields_are_refused_by_name(world):
    response = report(client_for(world.grid_worker), world, state="closed", region_path="/1/")
    assert_error(response, 400, "invalid", fields=["region_path", "state"])


def test_an_event_of_another_community_is_404(world):
    created = report(client_for(world.grid_worker), world).json()["id"]
    assert_error(client_for(world.worker_b).get(f"{URL}{created}/"), 404, "not_found")
    response = client_for(world.worker_b).post(
        f"{URL}{created}/transition/", {"action": "accept"}, format="json"
    )
    assert_error(response, 404, "not_found")
    assert client_for(world.lead).get(f"{URL}{created}/").status_code == 200


def test_list_shows_only_the_callers_subtree(world):
    report(client_for(world.grid_worker), world)
    report(client_for(world.worker_b), world, house=world.house_b.pk)
    mine = client_for(world.lead).get(URL).json()
    street = client_for(world.street_staff).get(URL).json()
    assert len(mine["results"]) == 1 and len(street["results"]) == 2


def test_transition_conflict_is_409_with_the_allowed_actions(world):
    created = report(client_for(world.grid_worker), world).json()["id"]
    response = client_for(world.lead).post(f"{URL}{created}/transition/", {"action": "close"}, format="json")
    error = assert_error(response, 409, "transition_not_allowed", fields=["action"])
    assert error["fields"]["action"] == ["accept", "reject"]


def test_detail_lists_the_actions_the_caller_may_take(world):
    created = report(client_for(world.grid_worker), world).json()["id"]
    assert client_for(world.lead).get(f"{URL}{created}/").json()["allowed_actions"] == ["accept", "reject"]
    assert client_for(world.resident_user).get(f"{URL}{created}/").status_code == 404  # not hers


def test_reassign_many_at_once(world):
    ids = [
        report(
            client_for(world.grid_worker), world, title=f"事件{i}", house=None, grid=world.grid_a1.pk
        ).json()["id"]
        for i in range(3)
    ]
    for event_id in ids:
        client_for(world.lead).post(f"{URL}{event_id}/transition/", {"action": "accept"}, format="json")
    response = client_for(world.secretary).post(
        f"{URL}reassign/", {"events": ids, "assignee": world.grid_worker.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert set(Event.objects.values_list("assignee", flat=True)) == {world.grid_worker.pk}
    outsider = client_for(world.secretary).post(
        f"{URL}reassign/", {"events": ids, "assignee": world.worker_b.pk}, format="json"
    )
    assert_error(outsider, 400, "invalid", fields=["assignee"])


def test_resident_reports_follows_and_rates(world):
    resident = client_for(world.resident_user)
    created = resident.post(URL, {"type": "tests.hazard", "title": "路灯不亮"}, format="json")
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    assert Event.objects.get(pk=event_id).house == world.house_a  # her own residence
    assert resident.get(f"{URL}{event_id}/").status_code == 200
    lead = client_for(world.lead)
    for action in ("accept", "assign", "start"):
        lead.post(f"{URL}{event_id}/transition/", {"action": action}, format="json")
    lead.post(f"{URL}{event_id}/transition/", {"action": "resolve", "note": "已修复"}, format="json")
    closed = resident.post(f"{URL}{event_id}/transition/", {"action": "close"}, format="json")
    assert closed.json()["state"] == "closed"
    rated = resident.post(f"{URL}{event_id}/rating/", {"satisfaction": 5, "comment": "很快"}, format="json")
    assert rated.json()["satisfaction"] == 5
    assert_error(
        resident.post(f"{URL}{event_id}/rating/", {"satisfaction": 9}, format="json"),
        400,
        "invalid",
        fields=["satisfaction"],
    )


def test_residents_cannot_report_patrol_only_types(world):
    response = client_for(world.resident_user).post(
        URL, {"type": "tests.patrol_only", "title": "x"}, format="json"
    )
    assert_error(response, 403, "permission_denied")


def test_attachments_are_checked_by_content_and_downloads_are_audited(world):
    created = report(client_for(world.grid_worker), world).json()["id"]
    lead = client_for(world.lead)
    fake = io.BytesIO(b"MZ this is an executable")
    fake.name = "photo.jpg"
    refused = lead.post(f"{URL}{created}/attachments/", {"file": fake}, format="multipart")
    assert_error(refused, 400, "invalid_attachment", fields=["file"])
    image = io.BytesIO(PNG)
    image.name = "现场.png"
    stored = lead.post(f"{URL}{created}/attachments/", {"file": image}, format="multipart")
    assert stored.status_code == 201, stored.content
    attachment_id = stored.json()["id"]
    download = lead.get(f"{URL}{created}/attachments/{attachment_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Cache-Control"].startswith("no-store")
    assert (
        AuditEvent.objects.filter(action="workflow.attachment.download", object_id=str(created)).count() == 1
    )
    assert_error(
        client_for(world.worker_b).get(f"{URL}{created}/attachments/{attachment_id}/"), 404, "not_found"
    )


def test_coordinates_in_gcj02_are_stored_as_wgs84(world):
    body = {
        "type": "tests.hazard",
        "title": "井盖缺失",
        "grid": world.grid_a1.pk,
        "point": {"longitude": 118.3812, "latitude": 31.3243, "system": "gcj02"},
    }
    created = client_for(world.grid_worker).post(URL, body, format="json")
    assert created.status_code == 201
    event = Event.objects.get(pk=created.json()["id"])
    assert 0.002 < abs(float(event.longitude) - 118.3812) + abs(float(event.latitude) - 31.3243) < 0.01


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "tests.hazard", "title": "x" * 201, "house": 1},
        {"type": "tests.hazard", "title": "x", "house": "abc"},
        {"type": "tests.hazard", "title": "x", "point": {"longitude": 500, "latitude": 1}},
        {"type": "no_such_type", "title": "x"},
        [],
    ],
)
def test_malformed_reports_are_400(world, payload):
    response = client_for(world.grid_worker).post(URL, payload, format="json")
    assert response.status_code == 400
    assert_error(response, 400, response.json()["error"]["code"])
    assert Event.objects.count() == 0
