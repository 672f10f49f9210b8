"""The contacts and tenancies API: nested lists, masked phones, no-store, scope, strict input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.roles import Role
from core.api.errors import NOT_FOUND_IN_PAYLOAD
from core.audit.models import AuditEvent
from core.registry import services
from core.registry.models import Contact
from tests.core.registry.factories import born, house, resident
from tests.helpers import assert_error, client_for
from tests.world import id_number, make_staff, mobile

pytestmark = pytest.mark.django_db
RESIDENTS = "/api/v1/registry/residents/"
CONTACTS = "/api/v1/registry/contacts/"
TENANCIES = "/api/v1/registry/tenancies/"


def test_contacts_of_a_resident_through_the_api(world, worker_a, worker_b):
    child = resident(grid=world.grid_a1, actor=worker_a, name="孙小宝", document_number=id_number(born(9)))
    phone = mobile()
    client = client_for(worker_a)
    url = f"{RESIDENTS}{child.pk}/contacts/"
    response = client.post(
        url, {"kind": "guardian", "name": "孙大宝", "relation": "父亲", "phone": phone}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["phone"], body["resident"]) == (
        "孙大宝",
        f"{phone[:3]}****{phone[-4:]}",
        child.pk,
    )
    assert "no-store" in response["Cache-Control"] and phone not in response.content.decode()
    listed = client.get(url)
    assert [c["id"] for c in listed.json()["results"]] == [body["id"]]
    assert "no-store" in listed["Cache-Control"]
    assert client.get(RESIDENTS, {"missing_contact": "true"}).json()["results"] == []

    detail = f"{CONTACTS}{body['id']}/"
    assert client.patch(detail, {"relation": "监护人"}, format="json").json()["relation"] == "监护人"
    for field in ("resident", "phone_masked", "phone_encrypted"):
        error = assert_error(client.patch(detail, {field: 1}, format="json"), 400, "invalid")
        assert list(error["fields"]) == [field]
    assert_error(client.post(url, {"name": "x", "phone": phone}, format="json"), 400, "invalid", ["kind"])

    other = client_for(worker_b)
    assert_error(other.get(url), 404, "not_found")
    assert_error(other.get(detail), 404, "not_found")
    assert_error(other.delete(detail), 404, "not_found")
    assert other.get(CONTACTS).json()["results"] == []

    client = client_for(worker_a)
    assert client.delete(detail).status_code == 204
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(action="registry.contact.remove", actor=worker_a).count() == 1
    assert [r["id"] for r in client.get(RESIDENTS, {"missing_contact": "true"}).json()["results"]] == [
        child.pk
    ]


def test_a_contact_resident_outside_scope_reads_like_an_unknown_id(world, worker_a, worker_b):
    person = resident(grid=world.grid_a1, actor=worker_a)
    outsider = resident(grid=world.grid_b1, actor=worker_b)
    answers = []
    for other in (outsider.pk, 987654):
        response = client_for(worker_a).post(
            f"{RESIDENTS}{person.pk}/contacts/",
            {"kind": "emergency", "contact_resident": other},
            format="json",
        )
        answers.append(assert_error(response, 400, "invalid", ["contact_resident"])["fields"])
    assert answers[0] == answers[1] == {"contact_resident": [str(NOT_FOUND_IN_PAYLOAD)]}


def test_only_a_role_that_may_reveal_gets_a_contacts_full_phone(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    phone = mobile()
    created = client_for(worker_a).post(
        f"{RESIDENTS}{person.pk}/contacts/",
        {"kind": "emergency", "name": "吴某", "phone": phone},
        format="json",
    )
    reveal = f"{CONTACTS}{created.json()['id']}/reveal/"
    grid_worker = make_staff(Role.GRID_WORKER, world.grid_a1)
    assert_error(
        client_for(grid_worker).post(reveal, {"purpose": "联系"}, format="json"), 403, "permission_denied"
    )
    response = client_for(worker_a).post(reveal, {"purpose": "老人走失联系家属"}, format="json")
    assert response.json() == {"phone": phone} and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.get(action="registry.contact.reveal").purpose == "老人走失联系家属"


def test_tenancies_through_the_api(world, worker_a, worker_b):
    owner = resident(grid=world.grid_a1, actor=worker_a, name="房东")
    flat = house(world.grid_a1, actor=worker_a, occupancy="vacant", owner=owner.pk)
    tenant = resident(grid=world.grid_a1, actor=worker_a, name="租客")
    client = client_for(worker_a)
    payload = {"resident": tenant.pk, "house": flat.pk, "starts_on": "2024-03-01"}
    response = client.post(TENANCIES, payload, format="json")
    assert response.status_code == 201, response.content
    tenancy = response.json()
    assert (tenancy["owner"], tenancy["owner_name"], tenancy["resident_name"], tenancy["is_current"]) == (
        owner.pk,
        "房东",
        "租客",
        True,
    )
    assert client.get(f"/api/v1/registry/houses/{flat.pk}/").json()["occupancy"] == "rented"
    tenants = client.get(f"/api/v1/registry/houses/{flat.pk}/tenants/")
    assert [t["resident"] for t in tenants.json()["results"]] == [tenant.pk]
    assert "no-store" in tenants["Cache-Control"]
    assert [t["id"] for t in client.get(f"{RESIDENTS}{tenant.pk}/tenancies/").json()["results"]] == [
        tenancy["id"]
    ]
    assert [t["id"] for t in client.get(TENANCIES, {"current": "true"}).json()["results"]] == [tenancy["id"]]
    assert_error(client.post(TENANCIES, payload, format="json"), 409, "tenancy_current")
    assert_error(
        client.post(TENANCIES, {**payload, "ends_on": "2025-01-01"}, format="json"),
        400,
        "invalid",
        ["ends_on"],
    )

    other = client_for(worker_b)
    assert_error(other.get(f"{TENANCIES}{tenancy['id']}/"), 404, "not_found")
    assert_error(other.get(f"/api/v1/registry/houses/{flat.pk}/tenants/"), 404, "not_found")
    client = client_for(worker_a)
    house_b = house(world.grid_b1)
    response = client.post(TENANCIES, {**payload, "house": house_b.pk}, format="json")
    assert assert_error(response, 400, "invalid", ["house"])["fields"]["house"] == [str(NOT_FOUND_IN_PAYLOAD)]

    ended = client.post(f"{TENANCIES}{tenancy['id']}/end/", {"ends_on": "2024-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["is_current"] is False
    assert client.get(f"/api/v1/registry/houses/{flat.pk}/").json()["occupancy"] == "vacant"
    assert_error(client.post(f"{TENANCIES}{tenancy['id']}/end/", {}, format="json"), 409, "tenancy_ended")


def test_tenancy_and_contact_lists_cost_the_same_queries_whatever_their_length(world, worker_a):
    client = client_for(worker_a)
    # Fill the per-region counts every list caches (core.regions.scoping.rows_under) first.
    client.get(TENANCIES)
    client.get(CONTACTS)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            owner = resident(grid=world.grid_a1, actor=worker_a)
            flat = house(world.grid_a1, actor=worker_a, owner=owner.pk)
            tenant = resident(grid=world.grid_a1, actor=worker_a)
            services.tenancy_start(actor=worker_a, resident=tenant, house=flat, starts_on=born(1))
            services.contact_add(
                actor=worker_a, resident=tenant, data={"kind": "emergency", "contact_resident": owner.pk}
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TENANCIES, {"page_size": 50}).status_code == 200
            assert client.get(CONTACTS, {"page_size": 50}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
