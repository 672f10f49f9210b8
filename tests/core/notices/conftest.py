"""A small region tree with two sibling communities under one street, and a worker in each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.accounts.models import User
from core.accounts.roles import Role
from core.regions.models import Region
from tests.core.notices.factories import make_user


@dataclass
class Tree:
    city: Region
    district: Region
    street: Region
    community_a: Region
    community_b: Region
    grid_a: Region


@dataclass
class People:
    worker_a: User  # community worker of community A
    worker_b: User  # community worker of the sibling community B
    grid_worker_a: User  # grid worker in a grid of community A
    street_staff: User
    resident: User  # no role at all


@pytest.fixture
def tree(db) -> Tree:
    city = Region.objects.create(level=Region.Level.CITY, name="芜湖市")
    district = Region.objects.create(level=Region.Level.DISTRICT, name="镜湖区", parent=city)
    street = Region.objects.create(level=Region.Level.STREET, name="滨江街道", parent=district)
    community_a = Region.objects.create(level=Region.Level.COMMUNITY, name="甲社区", parent=street)
    community_b = Region.objects.create(level=Region.Level.COMMUNITY, name="乙社区", parent=street)
    grid_a = Region.objects.create(level=Region.Level.GRID, name="甲一网格", parent=community_a)
    for region in (city, district, street, community_a, community_b, grid_a):
        region.refresh_from_db()
    return Tree(city, district, street, community_a, community_b, grid_a)


@pytest.fixture
def people(tree) -> People:
    return People(
        worker_a=make_user("worker_a", Role.COMMUNITY_WORKER, tree.community_a),
        worker_b=make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b),
        grid_worker_a=make_user("grid_a", Role.GRID_WORKER, tree.grid_a),
        street_staff=make_user("street", Role.STREET_STAFF, tree.street),
        resident=make_user("resident"),
    )


@pytest.fixture
def fake_backends(settings):
    from core.notices.backends import FakeBackend

    settings.NOTICE_CHANNEL_BACKENDS = {
        "sms": "core.notices.backends.FakeSmsBackend",
        "wechat": "core.notices.backends.FakeWechatBackend",
    }
    FakeBackend.sent.clear()
    yield FakeBackend.sent
    FakeBackend.sent.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The tasks of this part run in-process in both modes (tests/conftest.py)."""
