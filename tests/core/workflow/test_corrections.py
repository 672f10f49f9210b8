"""A resident's request to correct their record reaches their community as work to do."""

from __future__ import annotations

from core.accounts.roles import Role
from core.workflow.models import Event
from tests.helpers import assert_error, client_for

URL = "/api/v1/accounts/me/corrections/"


def test_the_request_becomes_an_event_for_the_residents_grid(world):
    response = client_for(world.resident_user).post(
        URL, {"field": "name", "explanation": "名字中的“三”应为“叁”"}, format="json"
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["event"])
    assert (event.type, event.house, event.reporter) == (
        "accounts.correction_request",
        world.house_a,
        world.resident_user,
    )
    # Handled by the community's workers (the type's handling role), who are all told.
    assert event.assignee is None
    from core.notices.models import Notice

    notice = Notice.objects.get(kind="workflow.event_assigned", link_id=str(event.pk))
    assert (notice.region, notice.role) == (world.community_a, Role.COMMUNITY_WORKER)
    assert event.form_data["field"] == "name"
    assert client_for(world.resident_user).get(f"/api/v1/events/{event.pk}/").status_code == 200
    assert client_for(world.worker_b).get(f"/api/v1/events/{event.pk}/").status_code == 404


def test_numbers_are_refused_in_the_explanation(world):
    response = client_for(world.resident_user).post(
        URL, {"field": "phone", "explanation": "我的手机是13912345678"}, format="json"
    )
    assert_error(response, 400, "invalid", fields=["explanation"])
    assert not Event.objects.exists()


def test_someone_elses_record_is_not_found_and_staff_without_a_record_are_told(world):
    from core.registry.models import Resident

    stranger = Resident.objects.create(region=world.grid_b1, region_path=world.grid_b1.path, name="李四")
    other = client_for(world.resident_user).post(
        URL, {"resident": stranger.pk, "field": "name", "explanation": "x"}, format="json"
    )
    assert_error(other, 400, "invalid", fields=["resident"])
    assert_error(
        client_for(world.lead).post(URL, {"field": "name", "explanation": "x"}, format="json"),
        400,
        "not_bound",
    )
