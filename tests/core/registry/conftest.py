"""The register's tests run on the one world (tests/world.py) with an empty register: they make,
through the services, every row they count."""

import pytest

from tests.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world(register_rows=False)


@pytest.fixture
def worker_a(world):
    """The community worker of 甲社区."""
    return world.community_worker


@pytest.fixture
def worker_b(world):
    """The community worker of the sibling 乙社区."""
    return world.worker_b


@pytest.fixture
def street_staff(world):
    return world.street_staff
