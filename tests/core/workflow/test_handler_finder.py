"""An event type may name the callable that finds its first handler (a domain whose handler is not
the grid's lead); without one, grid-worker types go to the grid's lead as before."""

from __future__ import annotations

from core.accounts.models import User
from core.accounts.roles import Role
from core.extensions import EventType
from core.extensions.registry import registry
from core.workflow import services

CHILD_AT_RISK = EventType(
    key="tests.child_at_risk",
    name="Child at risk",
    domain="tests",
    sla_working_hours=2,
    handler_role=Role.COMMUNITY_SECRETARY,
    handler_finder="tests.core.workflow.test_handler_finder.community_secretary_of",
)
found_for: list = []


def community_secretary_of(event_type: EventType, grid):
    """The finder a domain would declare: here, the secretary of the grid's community."""
    found_for.append((event_type.key, grid.pk))
    return User.objects.get(username="secretary")


def test_the_declared_finder_names_the_first_handler(world):
    with registry.temporarily("tests", CHILD_AT_RISK):
        event, _ = services.event_report(
            reporter=world.grid_worker,
            house=world.house_a,
            type_key=CHILD_AT_RISK.key,
            source="patrol",
            title="x",
        )
    assert event.assignee == world.secretary
    assert found_for == [(CHILD_AT_RISK.key, world.grid_a1.pk)]


def test_without_a_finder_a_grid_workers_type_goes_to_the_lead(world):
    event, _ = services.event_report(
        reporter=world.grid_worker, house=world.house_a, type_key="tests.hazard", source="patrol", title="x"
    )
    assert event.assignee == world.lead
