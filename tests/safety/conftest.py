"""Safety's world: the one world (tests/world.py) with an elderly person living alone in house_a."""

from __future__ import annotations

from datetime import date

import pytest

from tests.world import World, make_resident_record


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """Hand-offs and notices are delivered in-process in both modes (tests/conftest.py)."""


@pytest.fixture
def world(world: World) -> World:
    world.elder = make_resident_record(
        world.grid_a1, name="赵奶奶", birth=date(1938, 2, 1), house=world.house_a, household=world.household
    )
    return world


@pytest.fixture(autouse=True)
def _loop_connection_closed():
    """The device route's own connection on the event loop (safety.ingestion_loop) is closed after
    each test: none is left open on the test database when it is dropped."""
    yield
    from safety import ingestion_loop

    ingestion_loop.close()
