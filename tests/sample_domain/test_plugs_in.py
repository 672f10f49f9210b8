"""Issue 10's measure of the platform contract: a new domain with one model, one role, one event
type, one permission, one public route, one hand-off and one list plugs in without any file under
core/ edited. The app lives in tests/sample_domain (installed by tests/settings.py); the scope
matrix walks its routes with every role, its own role included, like any domain's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.accounts.roles import Role, permissions_of, role_levels
from core.extensions import HandoffConsumer
from core.extensions.models import Handoff
from core.extensions.registry import registry
from core.regions.models import Region
from core.workflow.models import Event
from tests.helpers import assert_error, client_for, without_contribution
from tests.sample_domain.contributions import LAMP_OUT, PATROLLER, VIEW
from tests.sample_domain.models import StreetLamp
from tests.world import make_user

CORE = Path(__file__).resolve().parents[2] / "core"
LAMPS = "/api/v1/sample-domain/lamps/"
BEACON = "/api/v1/sample-domain/beacon/"
HOURS_TAKEN: list = []


def take_hours(payload, *, key):
    """A hours ledger as the services domain would keep it (declared only in the test below)."""
    HOURS_TAKEN.append((payload.resident_id, payload.hours, payload.source, key))


def lamp(grid, number) -> StreetLamp:
    return StreetLamp.objects.create(region=grid, region_path=grid.path, number=number)


def test_core_knows_nothing_of_the_app_and_the_registry_knows_all_of_it():
    assert not [p for p in CORE.rglob("*.py") if "sample_domain" in p.read_text(encoding="utf-8")]
    declared = {
        ("roles", PATROLLER),
        ("permissions", VIEW),
        ("event_types", LAMP_OUT),
        ("public_routes", "sample_domain.beacon"),
    }
    assert {(kind, key) for kind, key in declared if registry.owner(kind, key) == "sample_domain"} == declared
    assert [part.prefix for part in registry.api_parts() if part.app_label == "sample_domain"] == [
        "sample-domain"
    ]
    assert role_levels(PATROLLER) == {Region.Level.GRID}
    assert VIEW in permissions_of(PATROLLER) and VIEW in permissions_of(Role.COMMUNITY_WORKER)


def test_a_secretary_grants_the_new_role_and_its_holder_lists_only_their_grid(world):
    own, sibling = lamp(world.grid_a1, "A-1"), lamp(world.grid_b1, "B-1")
    patroller = make_user(region=world.grid_a1)
    granted = client_for(world.secretary).post(
        "/api/v1/accounts/role-assignments/",
        {"user": patroller.pk, "role": PATROLLER, "region": world.grid_a1.pk},
        format="json",
    )
    assert granted.status_code == 201, granted.content
    page = client_for(patroller).get(LAMPS).json()
    assert {"total", "next", "next_cursor", "results"} <= set(page)
    assert [row["id"] for row in page["results"]] == [own.pk]
    assert_error(client_for(patroller).get(f"{LAMPS}{sibling.pk}/"), 404, "not_found")
    # A role without the permission sees the route but may not use it.
    assert_error(client_for(world.grid_worker).get(LAMPS), 403, "permission_denied")


def test_the_public_beacon_reports_an_event_the_engine_hands_to_the_grids_patroller(world, api_client):
    lamp(world.grid_a1, "A-7")
    patroller = make_user(region=world.grid_a1)
    client_for(world.secretary).post(
        "/api/v1/accounts/role-assignments/",
        {"user": patroller.pk, "role": PATROLLER, "region": world.grid_a1.pk},
        format="json",
    )
    answered = api_client.post(BEACON, {"number": "A-7"}, format="json")  # nobody signed in
    assert answered.status_code == 202, answered.content
    event = Event.objects.get(pk=answered.json()["event"])
    assert (event.type, event.region_id, event.assignee_id) == (LAMP_OUT, world.grid_a1.pk, patroller.pk)
    assert event.deadline is None or event.deadline > event.created_at
    assert_error(api_client.post(BEACON, {"number": "nowhere"}, format="json"), 404, "not_found")
    assert_error(api_client.post(BEACON, {"number": "x" * 500}, format="json"), 400, "invalid", ["number"])


@pytest.mark.usefixtures("in_process_tasks")
def test_the_hours_a_volunteer_served_are_handed_off_without_an_import(
    world, django_capture_on_commit_callbacks
):
    from tests.sample_domain.services import lamp_fixed_by_volunteer

    HOURS_TAKEN.clear()
    fixed = lamp(world.grid_a1, "A-9")
    ledger = HandoffConsumer(
        key="tests.hours_ledger", handoff="service_hours", receiver=f"{__name__}.take_hours"
    )
    with (
        without_contribution(HandoffConsumer.kind, "services.hours_ledger"),
        registry.temporarily("tests", ledger),
        django_capture_on_commit_callbacks(execute=True),
    ):
        lamp_fixed_by_volunteer(
            lamp=fixed, resident_id=world.applicant.pk, hours=Decimal("1.5"), actor=world.grid_worker
        )
    assert [
        (world.applicant.pk, Decimal("1.5"), f"sample_domain.lamp:{fixed.pk}", HOURS_TAKEN[0][3])
    ] == HOURS_TAKEN
    assert Handoff.objects.get().status == Handoff.Status.DELIVERED
