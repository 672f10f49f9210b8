import pytest

from core.accounts.roles import Role
from tests.core.registry.factories import region_tree, staff


@pytest.fixture
def tree(db):
    return region_tree()


@pytest.fixture
def worker_a(tree):
    """A community worker of 甲社区."""
    return staff(Role.COMMUNITY_WORKER, tree.community_a)


@pytest.fixture
def worker_b(tree):
    return staff(Role.COMMUNITY_WORKER, tree.community_b)


@pytest.fixture
def street_staff(tree):
    return staff(Role.STREET_STAFF, tree.street)


@pytest.fixture
def client_for(api_client):
    """An API client signed in as the given user."""

    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login
