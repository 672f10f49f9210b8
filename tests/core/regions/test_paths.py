from __future__ import annotations

import pytest

from core.accounts.roles import Role
from core.regions import paths
from core.regions.models import Region
from tests.world import make_staff as staff

GRID = "/1/2/3/4/5/"


@pytest.fixture
def tree(db):
    """The one world's region tree (its register left empty)."""
    from tests.world import build_world

    return build_world(register_rows=False)


def test_the_ids_along_a_path_run_from_the_root_to_the_node():
    assert paths.ancestor_ids(GRID) == (1, 2, 3, 4, 5)
    assert paths.ancestor_ids("/17/") == (17,)
    assert paths.ancestor_paths("/1/2/3/") == ["/1/", "/1/2/", "/1/2/3/"]
    assert paths.depth(GRID) == Region.Level.GRID
    assert paths.path_of((1, 2, 3)) == "/1/2/3/"


def test_the_top_of_the_tree_and_no_place_hold_no_ids():
    assert paths.ancestor_ids("/") == () and paths.ancestor_paths("/") == []
    assert paths.ancestor_ids("") == ()
    assert paths.parent("/") is None and paths.parent("") is None


@pytest.mark.parametrize(
    "malformed",
    ["1/2/", "/1/2", "/1//2/", "//", "/a/", "/1/x2/", "/0/", "/01/", " /1/", "/1/ ", "/-1/", None, 12],
)
def test_a_malformed_path_is_refused_not_guessed(malformed):
    with pytest.raises(paths.MalformedPath):
        paths.ancestor_ids(malformed)
    with pytest.raises(paths.MalformedPath):
        paths.community_id(malformed)
    with pytest.raises(paths.MalformedPath):
        paths.is_under(malformed, "/1/")


def test_the_node_at_a_level_is_the_community_or_street_of_a_path():
    assert paths.id_at(GRID, Region.Level.STREET) == 3
    assert paths.street_id(GRID) == 3
    assert paths.community_id(GRID) == 4
    assert paths.community_path(GRID) == "/1/2/3/4/"
    assert paths.community_path("/1/2/3/4/") == "/1/2/3/4/"
    assert paths.path_at(GRID, 1) == "/1/"
    # A street has no community; a level outside the tree has no node.
    assert paths.community_id("/1/2/3/") is None and paths.community_path("/1/2/3/") is None
    assert paths.id_at(GRID, 0) is None and paths.id_at(GRID, 6) is None
    assert paths.street_id("/") is None


def test_the_parent_path_is_one_node_up():
    assert paths.parent(GRID) == "/1/2/3/4/"
    assert paths.parent("/1/2/") == "/1/"
    assert paths.parent("/1/") is None


def test_a_path_lies_under_itself_and_its_ancestors_only():
    assert paths.is_under(GRID, "/1/2/3/4/")
    assert paths.is_under(GRID, GRID)
    assert paths.is_under(GRID, "/")
    assert not paths.is_under("/1/2/3/4/", GRID)
    # A sibling whose id starts with the same digits is not under it.
    assert not paths.is_under("/1/2/33/", "/1/2/3/")
    assert not paths.is_under("", "/1/")
    assert paths.under_any(GRID, ["/9/", "/1/2/"])
    assert not paths.under_any(GRID, [])


def test_no_place_is_no_ancestor_so_an_empty_prefix_never_takes_in_the_whole_tree():
    with pytest.raises(paths.MalformedPath):
        paths.is_under(GRID, "")
    with pytest.raises(paths.MalformedPath):
        paths.under_any(GRID, ["/9/", ""])


def test_levels_match_the_tree():
    assert paths.COMMUNITY_LEVEL == Region.Level.COMMUNITY
    assert paths.STREET_LEVEL == Region.Level.STREET


@pytest.mark.django_db
def test_a_region_id_is_in_scope_for_a_permission_only_where_a_role_grants_it(tree):
    worker = staff(Role.COMMUNITY_WORKER, tree.community_a)
    assert paths.region_in_scope(worker, tree.grid_a1.pk, "registry.view") == tree.grid_a1
    assert paths.region_in_scope(worker, str(tree.community_a.pk), "registry.view") == tree.community_a
    # Above, beside, unknown or malformed: all answered alike.
    for other in (tree.street.pk, tree.community_b.pk, tree.grid_b1.pk, 10**9, "x", None, True):
        assert paths.region_in_scope(worker, other, "registry.view") is None
    # A permission the role does not hold.
    assert paths.region_in_scope(worker, tree.grid_a1.pk, "audit.view") is None
    # Only at the asked levels.
    grid_only = (Region.Level.GRID,)
    assert paths.region_in_scope(worker, tree.community_a.pk, "registry.view", levels=grid_only) is None
    assert paths.region_in_scope(worker, tree.grid_a1.pk, levels=grid_only) == tree.grid_a1
