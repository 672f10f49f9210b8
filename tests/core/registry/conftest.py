import pytest

from core.accounts.roles import Role
from tests.world import make_staff, region_tree


@pytest.fixture
def tree(db):
    return region_tree()


@pytest.fixture
def worker_a(tree):
    """A community worker of 甲社区."""
    return make_staff(Role.COMMUNITY_WORKER, tree.community_a)


@pytest.fixture
def worker_b(tree):
    return make_staff(Role.COMMUNITY_WORKER, tree.community_b)


@pytest.fixture
def street_staff(tree):
    return make_staff(Role.STREET_STAFF, tree.street)
