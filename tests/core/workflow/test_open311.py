"""Open311 GeoReport v2 round trips."""

from __future__ import annotations

from django.test import Client

from core.workflow.models import Event
from core.workflow.open311.keys import client_create


def test_service_list_and_definition(world):
    client = Client()
    services = client.get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in services}
    assert "tests.hazard" in codes and "tests.approval" not in codes
    assert client.get("/open311/v2/services/tests.hazard.json").json()["service_code"] == "tests.hazard"
    assert client.get("/open311/v2/services/nope.json").status_code == 404


def test_create_list_and_get_round_trip(world):
    _, key = client_create(name="12345热线", service_user=world.street_staff)
    client = Client()
    created = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "tests.hazard",
            "address_id": world.house_a.pk,
            "description": "小区路灯不亮",
            "first_name": "李",
        },
    )
    assert created.status_code == 201, created.content
    request_id = created.json()[0]["service_request_id"]
    event = Event.objects.get(pk=request_id)
    assert event.source == "open311" and event.assignee == world.lead

    public = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert public["status"] == "open" and public["service_code"] == "tests.hazard"
    assert public["description"] == ""  # no personal data to anonymous readers
    assert public["agency_responsible"] == world.community_a.name
    own = client.get(f"/open311/v2/requests/{request_id}.json", {"api_key": key}).json()[0]
    assert own["description"] == "小区路灯不亮"

    listed = client.get(
        "/open311/v2/requests.json", {"status": "open", "service_code": "tests.hazard"}
    ).json()
    assert [row["service_request_id"] for row in listed] == [request_id]
    assert client.get("/open311/v2/requests.json", {"status": "closed"}).json() == []


def test_create_without_a_key_or_outside_the_clients_area_is_refused(world):
    client = Client()
    assert client.post("/open311/v2/requests.json", {"service_code": "tests.hazard"}).status_code == 403
    _, key = client_create(name="partner", service_user=world.worker_b)
    refused = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "tests.hazard", "address_id": world.house_a.pk},
    )
    assert refused.status_code == 400
    assert refused.json()[0]["code"] == 400
    assert Event.objects.count() == 0


def test_bad_filters_answer_in_the_specs_error_shape(world):
    response = Client().get("/open311/v2/requests.json", {"status": "maybe"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "status must be open or closed"}]
