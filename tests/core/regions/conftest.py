from tests.core.registry.conftest import street_staff, worker_a, worker_b, world  # noqa: F401
