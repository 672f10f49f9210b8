"""Publicity (公示) and investigation on an application: objections recorded and settled by the
reviewing level, photos of the home investigation, and the generic event API kept out."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from affairs.models import Application
from core.audit.models import AuditEvent
from core.workflow.models import Event
from tests.affairs.helpers import PDF, pdf
from tests.affairs.test_applications import step, submit
from tests.helpers import client_for


def to_publicity(world) -> int:
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    photo = client_for(world.community_worker).post(
        f"/api/v1/affairs/applications/{application_id}/materials/",
        {"material": "investigation", "file": pdf("入户照片.pdf")},
        format="multipart",
    )
    assert photo.status_code == 201, photo.json()
    step(world, application_id, world.community_worker, "investigate", note="入户调查：家中无大额资产")
    response = step(world, application_id, world.street_staff, "review")
    assert response.json()["stage"] == "publicity"
    return application_id


def test_publicity_runs_seven_days_and_objections_must_be_settled(world):
    application_id = to_publicity(world)
    application = Application.objects.get(pk=application_id)
    assert (application.publicity_ends_on - application.publicity_starts_on).days == 6  # seven days
    response = step(world, application_id, world.street_staff, "end_publicity")
    assert response.status_code == 409 and response.json()["error"]["code"] == "publicity_running"

    url = f"/api/v1/affairs/applications/{application_id}/objections/"
    # The community does not hold the publicity of a street-reviewed item.
    assert client_for(world.community_worker).post(url, {"content": "x"}, format="json").status_code == 403
    objection = client_for(world.street_staff).post(url, {"content": "申请人家有经营性车辆"}, format="json")
    assert objection.status_code == 201, objection.json()
    Application.objects.filter(pk=application_id).update(
        publicity_ends_on=timezone.localdate() - timedelta(days=1)
    )
    response = step(world, application_id, world.street_staff, "end_publicity")
    assert response.status_code == 409 and response.json()["error"]["code"] == "objection_open"

    settle = f"{url}{objection.json()['id']}/settle/"
    response = client_for(world.street_staff).post(
        settle, {"upheld": False, "resolution": "经核实车辆已过户"}, format="json"
    )
    assert response.status_code == 200 and response.json()["upheld"] is False
    assert (
        client_for(world.street_staff)
        .post(settle, {"upheld": True, "resolution": "x"}, format="json")
        .status_code
        == 409
    )
    assert step(world, application_id, world.street_staff, "end_publicity").status_code == 200


def test_an_upheld_objection_leaves_only_rejection(world):
    application_id = to_publicity(world)
    url = f"/api/v1/affairs/applications/{application_id}/objections/"
    objection = client_for(world.street_staff).post(url, {"content": "隐瞒收入"}, format="json").json()
    client_for(world.street_staff).post(
        f"{url}{objection['id']}/settle/", {"upheld": True, "resolution": "查实隐瞒工资收入"}, format="json"
    )
    Application.objects.filter(pk=application_id).update(
        publicity_ends_on=timezone.localdate() - timedelta(days=1)
    )
    response = step(world, application_id, world.street_staff, "end_publicity")
    assert response.status_code == 409 and response.json()["error"]["code"] == "objection_upheld"
    assert (
        step(world, application_id, world.street_staff, "reject", note="公示期间查实隐瞒收入").status_code
        == 200
    )


def test_investigation_photos_are_staff_only_and_downloads_are_audited(world):
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    response = client_for(world.resident_user).post(
        f"/api/v1/affairs/applications/{application_id}/materials/",
        {"material": "investigation", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 403
    detail = client_for(world.community_worker).get(f"/api/v1/affairs/applications/{application_id}/").json()
    material = detail["materials"][0]
    download = client_for(world.community_worker).get(
        f"/api/v1/affairs/applications/{application_id}/materials/{material['id']}/"
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        action="workflow.attachment.download", actor=world.community_worker
    ).exists()
    other = client_for(world.worker_b).get(
        f"/api/v1/affairs/applications/{application_id}/materials/{material['id']}/"
    )
    assert other.status_code == 404


def test_the_generic_event_api_cannot_move_or_open_an_application(world):
    application_id = submit(world).json()["id"]
    event = Event.objects.get(application__pk=application_id)
    response = client_for(world.community_worker).post(
        f"/api/v1/events/{event.pk}/transition/", {"action": "accept"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "own_process"
    response = client_for(world.community_worker).post(
        "/api/v1/events/",
        {"type": "affairs.application", "title": "低保", "house": world.house_a.pk},
        format="json",
    )
    assert response.status_code == 400 and "type" in response.json()["error"]["fields"]
    assert Event.objects.count() == 1
