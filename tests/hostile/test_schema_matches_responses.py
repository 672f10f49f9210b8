"""The sixteen places where the schema and the responses differed (issue 13): each route's real
response validates against the schema. Growing sub-lists are keyset pages; small fixed lists
are arrays; single-object routes are objects; nullable fields are documented as such."""

from __future__ import annotations

from datetime import date

import pytest

from core.notices.services import assign_cursors, notify
from core.registry import services
from core.registry.services import contact_add
from tests.affairs.factories import application, standard
from tests.core.registry.factories import house, resident
from tests.helpers import client_for
from tests.schema_conformance import assert_conforms
from tests.world import mobile

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    worker = world.community_worker
    flat = house(world.grid_a1, actor=worker)
    household = services.household_create(actor=worker, house=flat.pk)
    tenant = resident(actor=worker, household=household.pk, house=flat.pk, relation="self", name="孙租")
    contact_add(
        actor=worker,
        resident=tenant,
        data={"kind": "emergency", "name": "孙亲", "relation": "兄", "phone": mobile()},
    )
    rented = house(world.grid_a1, actor=worker, occupancy="vacant")
    services.tenancy_start(actor=worker, resident=tenant.pk, house=rented.pk, starts_on=date(2024, 1, 1))
    created = application(world.household, "dibao", applied_on=date(2024, 5, 1))
    created.event.__class__.objects.filter(pk=created.event_id).update(deadline=None)
    standard("dibao", 700, since=date(2024, 1, 1), region=world.community_a)
    notify(kind="notices.system", title="通知", user=worker)
    assign_cursors()
    return {"house": rented, "household": household, "tenant": tenant}


def test_every_route_that_differed_answers_as_documented(world, rows):
    worker = client_for(world.community_worker)
    lead = client_for(world.lead)
    street = client_for(world.street_staff)
    grid, community = world.grid_a1.pk, world.community_a.pk
    checks = [
        (worker, "/api/v1/events/types/", "/api/v1/events/types/"),
        (worker, "/api/v1/regions/mine/", "/api/v1/regions/mine/"),
        (worker, f"/api/v1/regions/{community}/children/", "/api/v1/regions/{id}/children/"),
        (worker, f"/api/v1/regions/{grid}/grid-workers/", "/api/v1/regions/{id}/grid-workers/"),
        (street, f"/api/v1/regions/{world.street.pk}/subtree/", "/api/v1/regions/{id}/subtree/"),
        (
            worker,
            f"/api/v1/registry/households/{rows['household'].pk}/timeline/",
            "/api/v1/registry/households/{id}/timeline/",
        ),
        (
            worker,
            f"/api/v1/registry/houses/{rows['house'].pk}/tenants/",
            "/api/v1/registry/houses/{id}/tenants/",
        ),
        (
            worker,
            f"/api/v1/registry/residents/{rows['tenant'].pk}/contacts/",
            "/api/v1/registry/residents/{id}/contacts/",
        ),
        (
            worker,
            f"/api/v1/registry/residents/{rows['tenant'].pk}/tenancies/",
            "/api/v1/registry/residents/{id}/tenancies/",
        ),
        (worker, "/api/v1/registry/tags/kinds/", "/api/v1/registry/tags/kinds/"),
        (worker, "/api/v1/notices/", "/api/v1/notices/"),
        (street, "/api/v1/hotline/statistics/", "/api/v1/hotline/statistics/"),
        (worker, "/api/v1/affairs/applications/", "/api/v1/affairs/applications/"),
        (worker, "/api/v1/affairs/standards/", "/api/v1/affairs/standards/"),
        (lead, "/api/v1/registry/residents/my-grid/", "/api/v1/registry/residents/my-grid/"),
        # Found by the fuzzing: accounts without an email answered "" where format: email stood.
        (street, "/api/v1/accounts/users/", "/api/v1/accounts/users/"),
    ]
    for client, url, template in checks:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        assert body, url  # something to check against the schema
        assert_conforms(response, "get", template)
    applications = worker.get("/api/v1/affairs/applications/").json()["results"]
    assert None in {a["deadline"] for a in applications}
    assert "" in {u["email"] for u in street.get("/api/v1/accounts/users/").json()["results"]}
    subtree = street.get(f"/api/v1/regions/{world.street.pk}/subtree/").json()["results"]
    assert subtree[0]["id"] == world.street.pk
