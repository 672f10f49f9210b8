"""The region tree in the admin: a node's place (parent, level) is read-only once it exists, since
only the region services re-path a moved subtree; a new node is created through `region_create`."""

from __future__ import annotations

from core.audit.models import AuditEvent
from core.regions.models import Region
from tests.affairs.test_admin import superuser

PAGE = "/admin/regions/region/"


def change_form(node: Region, **changes) -> dict:
    data = {"name": node.name, "code": node.code, "community_kind": node.community_kind, "boundary": ""}
    data.update(changes)
    return data


def test_the_admin_cannot_move_a_node_and_leave_its_subtree_on_the_old_path(world, client):
    superuser(client)
    grid = world.grid_a1
    page = client.get(f"{PAGE}{grid.pk}/change/")
    assert page.status_code == 200
    assert "parent" not in page.context["adminform"].form.fields

    response = client.post(
        f"{PAGE}{grid.pk}/change/",
        change_form(grid, name="第1网格（新）", parent=world.community_b.pk, level=Region.Level.COMMUNITY),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    grid.refresh_from_db()
    assert grid.name == "第1网格（新）"
    assert grid.parent_id == world.community_a.pk and grid.level == Region.Level.GRID
    assert grid.path == f"{world.community_a.path}{grid.pk}/"


def test_a_node_added_in_the_admin_is_created_through_the_service_and_audited(world, client):
    admin = superuser(client)
    response = client.post(
        f"{PAGE}add/",
        {"level": Region.Level.GRID, "name": "第3网格", "parent": world.community_a.pk, "code": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    grid = Region.objects.get(parent=world.community_a, name="第3网格")
    assert grid.path == f"{world.community_a.path}{grid.pk}/"
    entry = AuditEvent.objects.get(action="regions.region.create", object_id=str(grid.pk))
    assert entry.actor_id == admin.pk


def test_the_admin_add_refuses_what_the_service_refuses_as_form_errors(world, client):
    superuser(client)
    response = client.post(
        f"{PAGE}add/", {"level": Region.Level.GRID, "name": "第1网格", "parent": world.community_a.pk}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    response = client.post(
        f"{PAGE}add/",
        {
            "level": Region.Level.COMMUNITY,
            "name": "丙社区",
            "parent": world.community_a.pk,
            "community_kind": "residents_committee",
        },
    )
    assert response.context["adminform"].form.errors["level"]
    assert not Region.objects.filter(name__in=["丙社区"]).exists()
    assert Region.objects.filter(parent=world.community_a, name="第1网格").count() == 1
