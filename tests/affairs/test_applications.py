"""Applications through the API: filing (by the resident online, by a worker on their behalf),
the steps at the configured levels in order, 补正, rejection, withdrawal and the bad inputs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from affairs.models import Application, Benefit, ServiceItem
from core.audit.models import AuditEvent
from core.notices.models import Notice
from core.workflow.models import Event, EventTransition
from core.workflow.states import State
from tests.affairs.helpers import low_income_members, multipart, pdf
from tests.helpers import client_for

DIBAO_FILES = ("id_card", "hukou", "income_proof", "assets_declaration", "authorization")


def dibao_payload(world, **overrides) -> dict:
    payload = {
        "item": "dibao",
        "household": world.household.pk,
        "applicant": world.applicant.pk,
        "members": low_income_members(world, 300, 200, 0),
        "financial_assets": "5000",
    }
    payload.update(overrides)
    return payload


def submit(world, user=None, payload=None, files=None):
    files = {code: [pdf()] for code in DIBAO_FILES} if files is None else files
    return client_for(user or world.resident_user).post(
        "/api/v1/affairs/applications/", multipart(payload or dibao_payload(world), files), format="multipart"
    )


def step(world, application_id, user, action, **body):
    return client_for(user).post(
        f"/api/v1/affairs/applications/{application_id}/step/", {"action": action, **body}, format="json"
    )


def walk_to_confirmation(world, application_id):
    assert step(world, application_id, world.community_worker, "intake").status_code == 200
    assert (
        step(
            world, application_id, world.community_worker, "investigate", note="入户核实，情况属实"
        ).status_code
        == 200
    )
    assert step(world, application_id, world.street_staff, "review").status_code == 200
    Application.objects.filter(pk=application_id).update(
        publicity_ends_on=timezone.localdate() - timedelta(days=1)
    )
    assert step(world, application_id, world.street_staff, "end_publicity").status_code == 200


def test_a_resident_applies_online_and_the_application_is_an_event_with_the_items_limit(world):
    response = submit(world)
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    assert application.stage == "submitted" and not application.on_behalf
    assert application.channel == "online"
    event = application.event
    assert event.type == "affairs.application" and event.source == Event.Source.DOMAIN
    assert event.sla_working_days == 20 and event.state == State.REPORTED
    assert sorted(event.attachments.values_list("label", flat=True)) == sorted(DIBAO_FILES)
    assert application.members.count() == 3
    # The first eligibility reading is kept with the application: (742 − 500/3) × 3 covered.
    assert application.eligibility["eligible"] is True
    # The community's workers hear of it.
    assert Notice.objects.filter(kind="workflow.event_assigned").exists()


def test_the_dibao_walk_reaches_approval_in_order_and_grants_the_benefit(world):
    application_id = submit(world).json()["id"]
    # Out of order: a review before intake is a conflict naming what is allowed now.
    response = step(world, application_id, world.street_staff, "review")
    assert response.status_code == 409
    assert response.json()["error"]["fields"]["action"] == ["intake", "reject", "return", "withdraw"]
    walk_to_confirmation(world, application_id)
    # Review and confirmation both at the street: the reviewer may not confirm.
    response = step(world, application_id, world.street_staff, "confirm")
    assert response.status_code == 409 and response.json()["error"]["code"] == "same_person"
    response = step(world, application_id, world.street_staff_2, "confirm", note="同意")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "approved" and body["event_state"] == State.CLOSED
    assert [s["action"] for s in body["steps"]] == [
        "report",
        "intake",
        "investigate",
        "review",
        "end_publicity",
        "confirm",
    ]
    application = Application.objects.get(pk=application_id)
    assert application.monthly_amount is not None and application.on_time is True
    assert Benefit.objects.filter(application=application).exists()
    # The applicant heard of every step through the channel they chose.
    assert Notice.objects.filter(recipient=world.resident_user, kind="affairs.application").count() >= 5


def test_steps_belong_to_the_configured_levels(world):
    application_id = submit(world).json()["id"]
    # The street does not receive; the grid worker handles nothing; the sibling community sees nothing.
    assert step(world, application_id, world.street_staff, "intake").status_code == 403
    assert step(world, application_id, world.grid_worker, "intake").status_code == 403
    assert step(world, application_id, world.worker_b, "intake").status_code == 404
    assert step(world, application_id, world.community_worker, "intake").status_code == 200
    assert step(world, application_id, world.community_worker, "investigate", note="属实").status_code == 200
    assert step(world, application_id, world.community_worker, "review").status_code == 403
    # A deployment that moves review to the district: the street may no longer review.
    ServiceItem.objects.filter(code="dibao").update(review_level=2, confirm_level=2)
    assert step(world, application_id, world.street_staff, "review").status_code == 403
    assert step(world, application_id, world.district_staff, "review").status_code == 200


def test_rejection_needs_a_reason_and_closes_the_application(world):
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    assert step(world, application_id, world.community_worker, "reject").status_code == 400
    response = step(world, application_id, world.community_worker, "reject", note="家庭收入超过标准")
    assert response.status_code == 200
    assert response.json()["stage"] == "rejected" and response.json()["event_state"] == State.REJECTED
    assert step(world, application_id, world.community_worker, "investigate", note="x").status_code == 409
    assert not Benefit.objects.exists()
    notice = Notice.objects.filter(recipient=world.resident_user, kind="affairs.application").latest("id")
    assert "家庭收入超过标准" in notice.body


def test_the_applicant_withdraws_and_may_apply_again(world):
    application_id = submit(world).json()["id"]
    assert submit(world).status_code == 409  # one open application per household and item
    assert step(world, application_id, world.community_worker, "withdraw").status_code == 403
    response = step(world, application_id, world.resident_user, "withdraw")
    assert response.status_code == 200 and response.json()["stage"] == "withdrawn"
    assert submit(world).status_code == 201


def test_a_worker_files_on_a_residents_behalf_and_it_is_recorded(world):
    response = submit(world, user=world.grid_worker)
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    assert application.on_behalf and application.applied_by == world.grid_worker
    assert application.channel == "counter"
    assert AuditEvent.objects.filter(action="affairs.application.submit", actor=world.grid_worker).exists()
    # An item that does not allow 代办 refuses it, naming the item.
    ServiceItem.objects.filter(code="dibao").update(proxy_allowed=False, publicity_days=7)
    Application.objects.all().update(stage="withdrawn")
    response = submit(world, user=world.grid_worker)
    assert response.status_code == 400 and "item" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("payload_change", "field"),
    [
        ({"members": [{"resident": 0, "monthly_income": "1"}]}, "members.0.resident"),
        ({"financial_assets": "-1"}, "financial_assets"),
        ({"financial_assets": "99999999999"}, "financial_assets"),
        ({"members": [{"resident": 1, "monthly_income": "-5"}]}, "members.0.monthly_income"),
        ({"vehicles": 1000}, "vehicles"),
        ({"item": "no-such-item"}, "item"),
        ({"unexpected": 1}, "unexpected"),
        ({"details": {"requested_amount": 5}}, "details.requested_amount"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, payload_change, field):
    with translation.override("en"):
        response = submit(world, payload=dibao_payload(world, **payload_change))
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"], response.json()
    assert not Application.objects.exists() and not Event.objects.exists()


def test_missing_mandatory_materials_are_all_named_at_once(world):
    response = submit(world, files={"id_card": [pdf()], "hukou": [pdf()]})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"materials.income_proof", "materials.assets_declaration", "materials.authorization"} <= set(
        fields
    )
    assert not Application.objects.exists()


def test_an_item_that_does_not_take_online_applications_is_refused_online(world):
    ServiceItem.objects.filter(code="dibao").update(channels="counter")
    response = submit(world)
    assert response.status_code == 400 and "item" in response.json()["error"]["fields"]
    assert submit(world, user=world.community_worker).status_code == 201


def test_a_household_or_applicant_outside_scope_is_not_found_in_the_payload(world):
    response = submit(world, user=world.worker_b)
    assert response.status_code == 400
    assert "household" in response.json()["error"]["fields"]
    response = submit(world, payload=dibao_payload(world, applicant=world.applicant.pk + 999))
    assert response.status_code == 400 and "applicant" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_another_community_cannot_read_or_move_an_application(world):
    application_id = submit(world).json()["id"]
    client = client_for(world.worker_b)
    assert client.get(f"/api/v1/affairs/applications/{application_id}/").status_code == 404
    assert client.get("/api/v1/affairs/applications/").json()["results"] == []
    assert step(world, application_id, world.worker_b, "reject", note="x").status_code == 404
    assert EventTransition.objects.filter(action__startswith="affairs.").count() == 0


def test_the_residents_view_masks_names_and_lists_the_steps_they_may_take(world):
    application_id = submit(world).json()["id"]
    body = client_for(world.resident_user).get(f"/api/v1/affairs/applications/{application_id}/").json()
    assert body["applicant_name"] == "王**"
    assert body["allowed_steps"] == ["withdraw"]
    worker_view = client_for(world.community_worker).get(f"/api/v1/affairs/applications/{application_id}/")
    assert worker_view.json()["allowed_steps"] == ["intake", "reject", "return"]
    assert worker_view["Cache-Control"].startswith("no-store")


def test_a_refused_file_leaves_no_file_behind(world, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {code: [pdf()] for code in DIBAO_FILES}
    files["authorization"] = [SimpleUploadedFile("授权书.exe", b"MZ\x90\x00 not a pdf")]
    response = submit(world, files=files)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["materials.authorization"]
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
    assert not Application.objects.exists()


def test_a_benefit_in_force_is_rechecked_not_applied_for_again(world):
    application_id = submit(world).json()["id"]
    walk_to_confirmation(world, application_id)
    assert step(world, application_id, world.street_staff_2, "confirm").status_code == 200
    response = submit(world)
    assert response.status_code == 409 and response.json()["error"]["code"] == "benefit_in_force"
    assert Application.objects.count() == 1


def test_a_monthly_income_of_millions_is_refused_as_absurd(world):
    members = low_income_members(world, 300, 200, "2000000")
    response = submit(world, payload=dibao_payload(world, members=members))
    assert response.status_code == 400 and "members.2.monthly_income" in response.json()["error"]["fields"]


def test_applications_are_filtered_by_stage_and_item_and_the_catalogue_is_paged(world):
    application_id = submit(world).json()["id"]
    client = client_for(world.community_worker)
    url = "/api/v1/affairs/applications/"

    def listed(**params) -> list[int]:
        body = client.get(url, params).json()
        assert {"total", "total_is_estimate", "next", "results"} <= set(body)
        return [row["id"] for row in body["results"]]

    stage = Application.objects.get(pk=application_id).stage
    assert listed(stage=stage) == [application_id] and listed(item="dibao") == [application_id]
    assert listed(stage="approved") == [] and listed(item="longevity") == []
    catalogue = client.get("/api/v1/affairs/items/", {"page_size": 200}).json()
    codes = [row["code"] for row in catalogue["results"]]
    assert catalogue["total"] == ServiceItem.objects.count() == len(codes) and codes == sorted(codes)
