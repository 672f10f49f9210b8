"""A community is an urban residents' committee (居委会) or a village committee (村委会): the Organic
Law of Urban Residents' Committees and the Organic Law of Village Committees set different rules
(elections, for one), so the kind is recorded on the community node and nowhere else."""

from __future__ import annotations

import importlib
import random

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.imports.demo import TreeShape, build_regions
from core.regions import services
from core.regions.admin import RegionForm
from core.regions.models import Region
from tests.helpers import client_for
from tests.world import make_staff as staff
from tests.world import region

pytestmark = pytest.mark.django_db
Kind = Region.CommunityKind


@pytest.fixture
def tree(db):
    """The one world's region tree (its register left empty)."""
    from tests.world import build_world

    return build_world(register_rows=False)


def test_a_community_is_created_with_its_kind(tree):
    village = services.region_create(
        actor=None,
        parent=tree.street,
        level=Region.Level.COMMUNITY,
        name="丙村",
        community_kind=Kind.VILLAGE_COMMITTEE,
    )
    assert Region.objects.get(pk=village.pk).community_kind == "village_committee"
    created = AuditEvent.objects.filter(action="regions.region.create").order_by("-id").first()
    assert created.changes["community_kind"]["new"] == "village_committee"


def test_a_community_without_a_kind_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        services.region_create(actor=None, parent=tree.street, level=Region.Level.COMMUNITY, name="丁社区")
    assert "community_kind" in error.value.message_dict
    assert not Region.objects.filter(name="丁社区").exists()


def test_no_other_level_has_a_community_kind(tree):
    with pytest.raises(ValidationError) as error:
        services.region_create(
            actor=None,
            parent=tree.community_a,
            level=Region.Level.GRID,
            name="第3网格",
            community_kind=Kind.RESIDENTS_COMMITTEE,
        )
    assert "community_kind" in error.value.message_dict
    # The database refuses it as well, whatever path a row takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        region(
            name="第4网格",
            level=Region.Level.GRID,
            parent=tree.community_a,
            community_kind="village_committee",
        )


def test_the_admin_form_asks_the_kind_of_a_community_only(tree):
    grid = RegionForm(
        data={
            "level": Region.Level.GRID,
            "name": "第5网格",
            "parent": tree.community_a.pk,
            "community_kind": "village_committee",
        }
    )
    assert not grid.is_valid() and "community_kind" in grid.errors
    community = RegionForm(data={"level": Region.Level.COMMUNITY, "name": "戊社区", "parent": tree.street.pk})
    assert not community.is_valid() and "community_kind" in community.errors
    village = RegionForm(
        data={
            "level": Region.Level.COMMUNITY,
            "name": "戊村",
            "parent": tree.street.pk,
            "community_kind": "village_committee",
        }
    )
    assert village.is_valid(), village.errors


def test_the_regions_api_gives_the_kind_of_a_community_and_null_elsewhere(tree):
    Region.objects.filter(pk=tree.community_a.pk).update(community_kind=Kind.VILLAGE_COMMITTEE)
    client = client_for(staff(Role.COMMUNITY_WORKER, tree.community_a))
    community = client.get(f"/api/v1/regions/{tree.community_a.pk}/").json()
    assert community["community_kind"] == "village_committee"
    grid = client.get(f"/api/v1/regions/{tree.grid_a1.pk}/").json()
    assert grid["community_kind"] is None
    listed = {row["id"]: row["community_kind"] for row in client.get("/api/v1/regions/").json()["results"]}
    assert listed[tree.community_a.pk] == "village_committee"


def test_the_demo_tree_has_villages_in_its_towns():
    city, _counts = build_regions(random.Random(7), TreeShape(2, 3, 1))
    communities = Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path)
    villages = communities.filter(community_kind=Kind.VILLAGE_COMMITTEE)
    assert villages.exists()
    assert all(v.name.endswith("村") and v.parent.name.endswith("镇") for v in villages)
    assert not communities.filter(community_kind="").exists()
    urban = communities.filter(community_kind=Kind.RESIDENTS_COMMITTEE)
    assert urban.exists() and all(c.name.endswith("社区") for c in urban)


def test_communities_recorded_before_the_kind_get_it_from_their_name(tree):
    migration = importlib.import_module("core.regions.migrations.0003_community_kind")
    region(name="丙村", level=Region.Level.COMMUNITY, parent=tree.street)
    region(name="丁片区", level=Region.Level.COMMUNITY, parent=tree.street)
    migration.kind_from_name(apps, None)
    kinds = dict(Region.objects.filter(level=Region.Level.COMMUNITY).values_list("name", "community_kind"))
    assert kinds["甲社区"] == kinds["乙社区"] == "residents_committee"
    assert kinds["丙村"] == "village_committee"
    assert kinds["丁片区"] == ""  # not guessed: a person sets it


def test_a_village_turned_urban_community_changes_its_kind_on_the_record(tree):
    village = services.region_create(
        actor=None,
        parent=tree.street,
        level=Region.Level.COMMUNITY,
        name="丙村",
        community_kind=Kind.VILLAGE_COMMITTEE,
    )
    services.community_set_kind(actor=None, community=village, community_kind=Kind.RESIDENTS_COMMITTEE)
    assert Region.objects.get(pk=village.pk).community_kind == "residents_committee"
    changed = AuditEvent.objects.get(action="regions.community.kind")
    assert changed.changes["community_kind"] == {"old": "village_committee", "new": "residents_committee"}
    for node, kind in ((tree.grid_a1, Kind.VILLAGE_COMMITTEE), (village, "township")):
        with pytest.raises(ValidationError):
            services.community_set_kind(actor=None, community=node, community_kind=kind)
    assert Region.objects.get(pk=village.pk).community_kind == "residents_committee"
