from tests.core.registry.conftest import street_staff, tree, worker_a, worker_b  # noqa: F401
