"""Emergency: plans with masked contacts and resources, drills, and an incident broadcast to the
holders of given roles under a node, with acknowledgement tracking and one reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from core.notices.models import Notice
from safety.emergency import incidents_remind
from safety.models import Incident, IncidentReceipt
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _broadcast(world, **overrides):
    payload = {
        "region": world.community_a.pk,
        "roles": [Role.GRID_WORKER, Role.COMMUNITY_WORKER],
        "title": "防汛：今晚暴雨，请立即到岗",
        "reminder_minutes": 15,
        **overrides,
    }
    response = client_for(world.secretary).post("/api/v1/safety/incidents/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_an_incident_reaches_the_roles_under_the_node_and_tracks_who_acknowledged(world):
    body = _broadcast(world)
    addressed = {world.grid_worker.pk, world.lead.pk, world.community_worker.pk}
    assert {row["user"] for row in body["not_acknowledged"]} == addressed
    assert world.worker_b.pk not in addressed  # 乙社区 is not under 甲社区
    mine = client_for(world.grid_worker).get("/api/v1/safety/receipts/").json()["results"]
    assert [row["incident"] for row in mine] == [body["id"]]
    response = client_for(world.grid_worker).post(f"/api/v1/safety/receipts/{mine[0]['id']}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    again = client_for(world.grid_worker).post(f"/api/v1/safety/receipts/{mine[0]['id']}/acknowledge/")
    assert again.status_code == 409
    # Someone else's receipt is not theirs to acknowledge.
    lead_receipt = IncidentReceipt.objects.get(user=world.lead)
    assert (
        client_for(world.grid_worker)
        .post(f"/api/v1/safety/receipts/{lead_receipt.pk}/acknowledge/")
        .status_code
        == 404
    )
    detail = client_for(world.secretary).get(f"/api/v1/safety/incidents/{body['id']}/").json()
    assert (detail["addressed"], detail["acknowledged"]) == (3, 1)
    assert {row["user"] for row in detail["not_acknowledged"]} == {world.lead.pk, world.community_worker.pk}


def test_whoever_has_not_acknowledged_is_reminded_once_after_the_set_time(world):
    body = _broadcast(world)
    IncidentReceipt.objects.filter(user=world.grid_worker).update(acknowledged_at=timezone.now())
    assert incidents_remind(now=timezone.now() + timedelta(minutes=14)) == 0
    later = timezone.now() + timedelta(minutes=16)
    assert incidents_remind(now=later) == 2
    assert incidents_remind(now=later + timedelta(minutes=30)) == 0  # once
    reminded = set(
        Notice.objects.filter(kind="safety.incident_reminder").values_list("recipient_id", flat=True)
    )
    assert reminded == {world.lead.pk, world.community_worker.pk}
    assert Incident.objects.get(pk=body["id"]).reminded_at is not None


def test_only_declared_roles_and_nodes_in_scope(world):
    api = client_for(world.secretary)
    bad = api.post(
        "/api/v1/safety/incidents/",
        {"region": world.community_a.pk, "roles": ["nobody"], "title": "x"},
        format="json",
    )
    assert bad.status_code == 400
    other = api.post(
        "/api/v1/safety/incidents/",
        {"region": world.community_b.pk, "roles": [Role.GRID_WORKER], "title": "x"},
        format="json",
    )
    assert other.status_code == 400 and other.json()["error"]["fields"].get("region")
    assert (
        client_for(world.grid_worker)
        .post(
            "/api/v1/safety/incidents/",
            {"region": world.grid_a1.pk, "roles": [Role.GRID_WORKER], "title": "x"},
            format="json",
        )
        .status_code
        == 403
    )


def test_a_plan_keeps_contacts_masked_and_resources_with_quantities_and_drills(world):
    api = client_for(world.community_worker)
    response = api.post(
        "/api/v1/safety/plans/",
        {
            "community": world.community_a.pk,
            "title": "甲社区防汛应急预案",
            "hazard": "flood",
            "effective_from": "2026-06-01",
            "contacts": [{"name": "张建国", "phone": "13912345678", "duty": "总指挥"}],
            "resources": [{"name": "沙袋", "quantity": 500, "unit": "个", "location": "社区仓库"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["contacts"][0]["phone"] != "13912345678" and "张建国" not in plan["contacts"][0]["name"]
    assert plan["resources"][0]["quantity"] == 500
    drill = api.post(
        "/api/v1/safety/drills/",
        {"plan": plan["id"], "held_on": "2026-06-15", "participants": 40, "findings": "转移路线需加指示牌"},
        format="json",
    )
    assert drill.status_code == 201, drill.content
