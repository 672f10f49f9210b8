from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.dashboards.changes import REFRESH_TASK
from core.outbox.models import OutboxMessage
from core.regions import services
from core.regions.geometry import grid_for_point
from core.regions.models import Region
from core.regions.placement import followers
from core.registry import services as registry
from core.registry.models import House, Household, Resident, Transfer
from tests.core.registry.factories import house, resident
from tests.world import grant, make_staff

pytestmark = pytest.mark.django_db


def test_a_node_is_one_level_below_its_parent(world):
    with pytest.raises(ValidationError) as error:
        services.region_create(actor=None, parent=world.street, level=Region.Level.GRID, name="X")
    assert "level" in error.value.message_dict
    node = services.region_create(
        actor=None, parent=world.community_a, level=Region.Level.GRID, name="第3网格"
    )
    assert node.path == f"{world.community_a.path}{node.pk}/"
    with pytest.raises(ValidationError):
        services.region_create(actor=None, parent=world.community_a, level=Region.Level.GRID, name="第3网格")


def _populate(world, worker):
    home = house(world.grid_a2)
    household = registry.household_create(actor=worker, house=home.pk)
    living = resident(actor=worker, house=home.pk, household=household.pk)
    gone = resident(actor=worker, house=home.pk)
    registry.resident_move_out(actor=worker, resident=gone, moved_out_on=gone.birth_date.replace(year=2020))
    grid_worker = make_staff(Role.GRID_WORKER, world.grid_a2)
    return home, household, living, gone, grid_worker


def test_moving_a_grid_repaths_current_rows_and_leaves_history(world, worker_a):
    home, household, living, gone, grid_worker = _populate(world, worker_a)
    old_path = world.grid_a2.path
    other = resident(actor=worker_a, grid=world.grid_a1)
    transfer = registry.transfer_request(actor=worker_a, resident=other, to_region=world.grid_a2)
    audit_before = AuditEvent.objects.filter(region_path=old_path).count()
    assert audit_before > 0

    waiting = OutboxMessage.objects.filter(task_name=REFRESH_TASK, sent_at__isnull=True)
    assert world.community_b.pk not in {m.args[0] for m in waiting}

    with CaptureQueriesContext(connection) as queries:
        services.grid_move(actor=None, grid=world.grid_a2, community=world.community_b)
    new_path = f"{world.community_b.path}{world.grid_a2.pk}/"
    # Set-based: the number of statements does not depend on the number of rows: one UPDATE per
    # followed table and path column (each placed model a domain declares adds one), and a few
    # for the tree, the audit row and the two communities' dashboard refreshes.
    followed = sum(len(declaration.paths) for _model, declaration in followers())
    assert len(queries) <= followed + 20, [q["sql"][:120] for q in queries.captured_queries]
    # Both communities' summaries are refreshed: the grid's rows now count at its new community.
    assert {world.community_a.pk, world.community_b.pk} <= {m.args[0] for m in waiting.all()}

    assert Region.objects.get(pk=world.grid_a2.pk).path == new_path
    assert House.objects.get(pk=home.pk).region_path == new_path
    assert Household.objects.get(pk=household.pk).region_path == new_path
    assert Resident.objects.get(pk=living.pk).region_path == new_path
    assert RoleAssignment.objects.get(user=grid_worker).region_path == new_path
    assert Transfer.objects.get(pk=transfer.pk).to_path == new_path
    # History keeps its place: the person who moved out and the audit rows.
    assert Resident.objects.get(pk=gone.pk).region_path == old_path
    assert AuditEvent.objects.filter(region_path=old_path).count() == audit_before
    assert AuditEvent.objects.filter(action="regions.grid.move").exists()


def test_moving_a_grid_changes_who_sees_it(world, worker_a, worker_b):
    home, *_ = _populate(world, worker_a)
    assert House.objects.visible_to(worker_a).filter(pk=home.pk).exists()
    services.grid_move(actor=None, grid=world.grid_a2, community=world.community_b)
    worker_a, worker_b = (
        type(worker_a).objects.get(pk=worker_a.pk),
        type(worker_b).objects.get(pk=worker_b.pk),
    )
    assert not House.objects.visible_to(worker_a).filter(pk=home.pk).exists()
    assert House.objects.visible_to(worker_b).filter(pk=home.pk).exists()


def test_merging_communities(world, worker_a, worker_b):
    b_home = house(world.grid_b1)
    living = resident(actor=worker_b, house=b_home.pk)
    gone = resident(actor=worker_b, house=b_home.pk)
    registry.resident_move_out(actor=worker_b, resident=gone, moved_out_on=gone.birth_date.replace(year=2020))
    secretary_b = make_staff(Role.COMMUNITY_SECRETARY, world.community_b)
    compound = registry.compound_create(actor=worker_b, region=world.community_b, name="乙小区")
    old_b_path = world.community_b.path

    services.community_merge(actor=None, source=world.community_b, target=world.community_a)

    source = Region.objects.get(pk=world.community_b.pk)
    assert source.merged_into_id == world.community_a.pk and source.path == old_b_path
    grid = Region.objects.get(pk=world.grid_b1.pk)
    # Both communities had a 第1网格: the merged one is renamed to stay unique.
    assert grid.parent_id == world.community_a.pk and grid.name == "乙社区第1网格"
    assert grid.path == f"{world.community_a.path}{grid.pk}/"
    assert House.objects.get(pk=b_home.pk).region_path == grid.path
    assert Resident.objects.get(pk=living.pk).region_path == grid.path
    assert Resident.objects.get(pk=gone.pk).region_path == f"{old_b_path}{grid.pk}/"
    compound.refresh_from_db()
    assert (compound.region_id, compound.region_path) == (world.community_a.pk, world.community_a.path)
    role = RoleAssignment.objects.get(user=secretary_b)
    assert (role.region_id, role.region_path) == (world.community_a.pk, world.community_a.path)
    assert House.objects.visible_to(type(worker_a).objects.get(pk=worker_a.pk)).filter(pk=b_home.pk).exists()
    with pytest.raises(ValidationError):
        services.region_create(actor=None, parent=source, level=Region.Level.GRID, name="新网格")


def test_ended_role_assignments_keep_their_path(world):
    worker = make_staff(Role.GRID_WORKER, world.grid_a2)
    ended = grant(worker, Role.GRID_WORKER, world.grid_a2)
    RoleAssignment.objects.filter(pk=ended.pk).update(starts_on="2020-01-01", ends_on="2020-12-31")
    old_path = world.grid_a2.path
    services.grid_move(actor=None, grid=world.grid_a2, community=world.community_b)
    assert RoleAssignment.objects.get(pk=ended.pk).region_path == old_path


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[118.0, 31.0], [118.1, 31.0], [118.1, 31.1], [118.0, 31.1], [118.0, 31.0]]],
}


def test_boundaries_are_validated_and_map_points_to_grids(world):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    for bad in (
        bowtie,
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": "x"},
        {"type": "Polygon", "coordinates": [[[500, 0], [501, 0], [501, 1], [500, 0]]]},
    ):
        with pytest.raises(ValidationError):
            services.grid_set_boundary(actor=None, grid=world.grid_a1, boundary=bad)
    with pytest.raises(ValidationError):
        services.grid_set_boundary(actor=None, grid=world.community_a, boundary=SQUARE)
    services.grid_set_boundary(actor=None, grid=world.grid_a1, boundary=SQUARE)
    east = {
        "type": "MultiPolygon",
        "coordinates": [[[[118.1, 31.0], [118.2, 31.0], [118.2, 31.1], [118.1, 31.0]]]],
    }
    services.grid_set_boundary(actor=None, grid=world.grid_b1, boundary=east)
    assert grid_for_point(118.05, 31.05) == world.grid_a1
    assert grid_for_point(118.18, 31.01) == world.grid_b1
    assert grid_for_point(118.18, 31.01, within=world.community_a) is None
    assert grid_for_point(100.0, 20.0) is None


def test_communities_with_a_place_name_alike_are_not_merged_until_a_person_settles_it(world):
    """One name per place (the place-name register's rule): merging two communities that each
    hold a 文化广场 would put both at one node, so the merge is refused whole, with a reason."""
    from core.api.errors import ApplicationError
    from core.registry.services import place_name_create

    for community in (world.community_a, world.community_b):
        place_name_create(actor=None, region=community, name="文化广场", kind="other")
    before = list(Region.objects.order_by("id").values_list("id", "parent_id", "path", "name"))
    with pytest.raises(ApplicationError) as refused:
        services.community_merge(actor=None, source=world.community_b, target=world.community_a)
    assert (refused.value.status_code, refused.value.code) == (409, "merge_clash")
    assert list(Region.objects.order_by("id").values_list("id", "parent_id", "path", "name")) == before
