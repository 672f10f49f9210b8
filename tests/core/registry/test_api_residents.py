from __future__ import annotations

from datetime import date

import pytest
from rest_framework.throttling import ScopedRateThrottle

from core.accounts.roles import Role
from core.api.errors import NOT_FOUND_IN_PAYLOAD
from core.audit.models import AuditEvent
from core.registry import services
from tests.core.registry.factories import house, resident
from tests.helpers import assert_error, client_for
from tests.world import id_number, make_staff, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"


def test_out_of_scope_resident_is_404_and_house_in_payload_is_400_like_unknown(world, worker_a, worker_b):
    person_b = resident(grid=world.grid_b1, actor=worker_b)
    client = client_for(worker_a)
    assert_error(client.get(f"{URL}{person_b.pk}/"), 404, "not_found")
    assert_error(client.patch(f"{URL}{person_b.pk}/", {"note": "x"}, format="json"), 404, "not_found")
    house_b = house(world.grid_b1)
    answers = []
    for house_id in (house_b.pk, 99999):
        payload = {"name": "李四", "document_number": id_number(), "house": house_id}
        error = assert_error(client.post(URL, payload, format="json"), 400, "invalid", ["house"])
        answers.append(error["fields"]["house"])
    assert answers[0] == answers[1] == [str(NOT_FOUND_IN_PAYLOAD)]


def test_output_is_masked_and_never_cached(world, worker_a):
    number, phone = id_number(date(1950, 1, 2)), mobile()
    resident(grid=world.grid_a1, actor=worker_a, name="张三", document_number=number, mobile=phone)
    response = client_for(worker_a).get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert number not in body and phone not in body and "1950-01-02" not in body
    row = response.json()["results"][0]
    assert row["document_number"] == f"{number[:4]}**********{number[-4:]}"
    assert row["mobile"] == f"{phone[:3]}****{phone[-4:]}"
    assert {t["key"] for t in row["tags"]} == {"registry.age_60_plus"}


def test_create_refuses_bad_input_in_one_error(world, worker_a):
    good = id_number()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    response = client_for(worker_a).post(
        URL,
        {"name": "王五", "document_number": bad, "mobile": "1234", "region": world.grid_a1.pk},
        format="json",
    )
    assert_error(response, 400, "invalid", ["document_number", "mobile"])


def test_fields_the_caller_may_not_set_are_refused_by_name(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    client = client_for(worker_a)
    for field, value in (("status", "deceased"), ("region_path", "/1/"), ("created_by", worker_a.pk)):
        error = assert_error(
            client.patch(f"{URL}{person.pk}/", {field: value}, format="json"), 400, "invalid"
        )
        assert list(error["fields"]) == [field]
    response = client.patch(f"{URL}{person.pk}/", {"note": "已核实"}, format="json")
    assert response.status_code == 200 and response.json()["note"] == "已核实"


def test_reveal_needs_permission_purpose_and_is_audited_and_throttled(world, worker_a, monkeypatch):
    number, phone = id_number(), mobile()
    person = resident(grid=world.grid_a1, actor=worker_a, document_number=number, mobile=phone)
    reveal = f"{URL}{person.pk}/reveal/"
    grid_worker = make_staff(Role.GRID_WORKER, world.grid_a1)
    assert_error(
        client_for(grid_worker).post(reveal, {"purpose": "核查"}, format="json"), 403, "permission_denied"
    )
    client = client_for(worker_a)
    assert_error(client.post(reveal, {}, format="json"), 400, "invalid", ["purpose"])
    response = client.post(reveal, {"purpose": "低保复核"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"document_number": number, "mobile": phone, "landline": ""}
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="registry.resident.reveal")
    assert (event.actor, event.object_id, event.purpose) == (worker_a, str(person.pk), "低保复核")

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"reveal": "2/hour"})
    client.post(reveal, {"purpose": "x2"}, format="json")
    assert_error(client.post(reveal, {"purpose": "x3"}, format="json"), 429, "throttled")


def test_lifecycle_endpoints(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a, moved_in_on=date(2020, 1, 1))
    client = client_for(worker_a)
    response = client.post(f"{URL}{person.pk}/move-out/", {"moved_out_on": "2023-03-01"}, format="json")
    assert response.json()["status"] == "moved_out"
    assert_error(
        client.post(f"{URL}{person.pk}/move-out/", {"moved_out_on": "2023-03-02"}, format="json"),
        409,
        "resident_not_active",
    )
    home = house(world.grid_a2)
    response = client.post(
        f"{URL}{person.pk}/move-in/", {"house": home.pk, "moved_in_on": "2023-05-01"}, format="json"
    )
    assert response.json()["region"]["id"] == world.grid_a2.pk
    response = client.post(f"{URL}{person.pk}/death/", {"died_on": "2024-01-01"}, format="json")
    assert response.json()["status"] == "deceased"


def test_transfer_through_the_api(world, worker_a, worker_b):
    person = resident(grid=world.grid_a1, actor=worker_a)
    response = client_for(worker_a).post(
        f"{URL}{person.pk}/transfer/", {"to_region": world.grid_b1.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    client = client_for(worker_b)
    assert client.get(f"/api/v1/registry/transfers/{transfer_id}/").status_code == 200
    response = client.post(f"/api/v1/registry/transfers/{transfer_id}/complete/", {}, format="json")
    assert response.json()["status"] == "completed"
    assert client.get(f"{URL}{person.pk}/").status_code == 200
    assert client_for(worker_a).get(f"{URL}{person.pk}/").status_code == 404


def test_tags_api(world, worker_a, worker_b):
    person = resident(grid=world.grid_a1, actor=worker_a)
    client = client_for(worker_a)
    kinds = {k["key"]: k for k in client.get("/api/v1/registry/tags/kinds/").json()}
    assert (
        kinds["registry.minor"]["derived"]
        and not kinds["registry.dibao"]["derived"]
        and "registry.disability" in kinds
    )
    response = client.post(
        "/api/v1/registry/tags/", {"resident": person.pk, "tag": "registry.dibao"}, format="json"
    )
    assert response.status_code == 201, response.content
    tag_id = response.json()["id"]
    assert client.post(f"/api/v1/registry/tags/{tag_id}/end/", {}, format="json").json()["ended_on"]
    error = assert_error(
        client_for(worker_b).post(
            "/api/v1/registry/tags/", {"resident": person.pk, "tag": "registry.dibao"}, format="json"
        ),
        400,
        "invalid",
        ["resident"],
    )
    assert error["fields"]["resident"] == [str(NOT_FOUND_IN_PAYLOAD)]


def test_a_resident_sees_their_own_record_and_household_only(world, worker_a):
    from core.accounts.models import ResidentBinding

    home = house(world.grid_a1)
    household = services.household_create(actor=worker_a, house=home.pk)
    me = resident(actor=worker_a, household=household.pk, house=home.pk, relation="self")
    spouse = resident(actor=worker_a, household=household.pk, house=home.pk, relation="spouse")
    stranger = resident(grid=world.grid_a1, actor=worker_a)
    user = make_staff(Role.RESIDENT, world.community_a, is_staff=False)
    ResidentBinding.objects.create(user=user, resident=me)
    client = client_for(user)
    assert client.get(f"{URL}{me.pk}/").status_code == 200
    assert client.get(f"{URL}{spouse.pk}/").status_code == 200
    assert client.get(f"{URL}{stranger.pk}/").status_code == 404
    assert client.get(f"/api/v1/registry/households/{household.pk}/timeline/").status_code == 200
    assert_error(client.get(URL), 403, "permission_denied")
    assert_error(client.patch(f"{URL}{me.pk}/", {"note": "x"}, format="json"), 403, "permission_denied")


def test_a_name_holding_a_mobile_or_an_id_number_is_refused(world, worker_a):
    """Names are listed unmasked (but minors'): a number typed into one would be shown in full."""
    client = client_for(worker_a)
    for name in (f"居民{mobile()}", f"王{id_number()}"):
        payload = {"name": name, "document_number": id_number(), "region": world.grid_a1.pk}
        assert_error(client.post(URL, payload, format="json"), 400, "invalid", ["name"])
    person = resident(grid=world.grid_a1, actor=worker_a)
    assert_error(
        client.patch(f"{URL}{person.pk}/", {"name": f"张{mobile()}"}, format="json"), 400, "invalid", ["name"]
    )
    ok = {"name": "李A1", "document_number": id_number(), "region": world.grid_a1.pk}
    assert client.post(URL, ok, format="json").status_code == 201
