"""The services tests' world: the one world (tests/world.py); tasks run in-process so hand-offs
are delivered as a worker would."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    yield
