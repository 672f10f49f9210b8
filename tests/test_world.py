"""The one test world holds what tests/world.py promises: every role has its named sample user,
held where ROLE_NODES says, and the two communities are siblings under one street."""

from __future__ import annotations

from core.extensions import RoleDefinition
from core.extensions.registry import registry
from core.regions.scoping import scope_for
from tests.world import ROLE_NODES, SAMPLE_USERS


def test_every_role_has_a_named_sample_user_held_where_the_world_says(world):
    core_roles = {
        r.key for r in registry.items(RoleDefinition.kind) if registry.owner("roles", r.key) == "accounts"
    }
    assert set(SAMPLE_USERS) == set(ROLE_NODES) == core_roles
    for role in registry.items(RoleDefinition.kind):
        role = role.key
        user = world.sample(role)
        assignment = user.roles.get(role=role)
        assert assignment.region == world.node_of(role), role


def test_the_sibling_community_is_out_of_a_community_workers_reach(world):
    assert world.community_a.parent_id == world.community_b.parent_id == world.street.pk
    scope = scope_for(world.community_worker)
    assert scope.covers(world.applicant.region_path, "registry.view")
    assert not scope.covers(world.house_b.region_path, "registry.view")
    assert world.resident_user.resident_links.get().resident == world.applicant == world.household.householder
