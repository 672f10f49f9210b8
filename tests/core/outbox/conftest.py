from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The tasks of this part run in-process in both modes (tests/conftest.py)."""
