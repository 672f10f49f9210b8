"""Hazard inspections: a finding opens a rectification event with a deadline by severity and its
photo attached; the re-inspection closes it or reopens it; a place with findings in another
round is flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.workflow.models import Event, EventAttachment
from safety.models import ChecklistItem, Finding
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _round(api, world, **overrides):
    payload = {"kind": "ebike", "place_kind": "house", "house": world.house_a.pk, **overrides}
    response = api.post("/api/v1/safety/rounds/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _find(api, round_id, severity="high", photo=True, item="ebike_indoor_charging"):
    payload = {"round": round_id, "item": item, "severity": severity, "note": "楼道内充电"}
    if photo:
        payload["photo"] = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = api.post("/api/v1/safety/findings/", payload, format="multipart")
    assert response.status_code == 201, response.content
    return Finding.objects.get(pk=response.json()["id"])


def test_default_checklists_cover_the_six_kinds():
    kinds = set(ChecklistItem.objects.filter(effective_to__isnull=True).values_list("kind", flat=True))
    assert kinds == {"fire", "gas", "ebike", "wiring", "exits", "falling"}


def test_inspection_to_rectification_to_reinspection_closing_it(world):
    api = client_for(world.grid_worker)
    before = timezone.now()
    finding = _find(api, _round(api, world), severity="high")
    event = finding.event
    assert (event.type, event.house_id, event.priority) == ("safety.rectification", world.house_a.pk, "high")
    # A serious hazard: three days to rectify.
    assert timedelta(days=3) <= event.deadline - before < timedelta(days=3, minutes=1)
    assert EventAttachment.objects.filter(event=event, label="hazard_photo").count() == 1
    response = api.post(
        f"/api/v1/safety/findings/{finding.pk}/reinspect/", {"rectified": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rectified"
    event.refresh_from_db()
    assert event.state == "closed"
    again = api.post(f"/api/v1/safety/findings/{finding.pk}/reinspect/", {"rectified": True}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "finding_closed"


def test_a_reinspection_finding_it_not_rectified_reopens_it_with_a_new_period(world):
    api = client_for(world.grid_worker)
    finding = _find(api, _round(api, world), severity="critical", photo=False)
    Event.objects.filter(pk=finding.event_id).update(state="resolved")
    response = api.post(
        f"/api/v1/safety/findings/{finding.pk}/reinspect/",
        {
            "rectified": "false",
            "note": "仍在充电",
            "photo": SimpleUploadedFile("复查.png", PNG, content_type="image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    finding.refresh_from_db()
    event = finding.event
    event.refresh_from_db()
    assert (finding.status, event.state, finding.reinspections) == ("reopened", "reopened", 1)
    assert event.deadline > timezone.now() + timedelta(hours=23)


def test_a_place_with_findings_in_another_round_is_flagged(world):
    api = client_for(world.grid_worker)
    first = _find(api, _round(api, world), photo=False)
    assert not first.repeat
    second = _find(api, _round(api, world), photo=False)
    first.refresh_from_db()
    assert second.repeat and first.repeat
    other = _find(
        api, _round(api, world, place_kind="shop", grid=world.grid_a1.pk, place_name="小餐馆"), photo=False
    )
    assert not other.repeat
    flagged = api.get("/api/v1/safety/findings/?repeat=true").json()["results"]
    assert {row["id"] for row in flagged} == {first.pk, second.pk}


def test_an_item_of_another_kind_or_ended_is_refused(world):
    api = client_for(world.grid_worker)
    round_id = _round(api, world)
    response = api.post(
        "/api/v1/safety/findings/", {"round": round_id, "item": "gas_hose", "severity": "low"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_item"


def test_checklist_items_are_ended_and_replaced_never_edited(world):
    api = client_for(world.district_staff)
    item = ChecklistItem.objects.get(code="gas_hose", effective_to__isnull=True)
    taken = api.post(
        "/api/v1/safety/checklist-items/",
        {"kind": "gas", "code": "gas_hose", "text": "新", "effective_from": "2027-01-01"},
        format="json",
    )
    assert taken.status_code == 409
    ended = api.patch(
        f"/api/v1/safety/checklist-items/{item.pk}/", {"effective_to": "2026-12-31"}, format="json"
    )
    assert ended.status_code == 200
    edited = api.patch(f"/api/v1/safety/checklist-items/{item.pk}/", {"text": "改"}, format="json")
    assert edited.status_code == 400
    added = api.post(
        "/api/v1/safety/checklist-items/",
        {
            "kind": "gas",
            "code": "gas_hose",
            "text": "燃气软管为金属波纹管",
            "effective_from": str(date(2027, 1, 1)),
        },
        format="json",
    )
    assert added.status_code == 201, added.content
    assert (
        client_for(world.grid_worker)
        .post(
            "/api/v1/safety/checklist-items/",
            {"kind": "gas", "code": "x", "text": "x", "effective_from": "2027-01-01"},
            format="json",
        )
        .status_code
        == 403
    )
