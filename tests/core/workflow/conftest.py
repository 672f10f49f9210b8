from __future__ import annotations

import pytest

from core.accounts.roles import Role
from core.extensions import EventType
from core.extensions.registry import registry

HAZARD = EventType(
    key="tests.hazard",
    name="Hazard",
    domain="safety",
    sla_working_days=3,
    residents_may_report=True,
    duplicate_window_hours=24,
    open311=True,
)
APPROVAL = EventType(
    key="tests.approval",
    name="Approval",
    domain="affairs",
    sla_working_days=20,
    fixed_level=True,
    handler_role=Role.COMMUNITY_WORKER,
)
PATROL_ONLY = EventType(key="tests.patrol_only", name="Patrol finding", domain="safety", sla_working_hours=4)
# An emergency (an elderly person not responding): its half hour runs at night and on holidays.
ALARM = EventType(
    key="tests.alarm",
    name="Alarm",
    domain="safety",
    sla_working_hours=0.5,
    clock="round_the_clock",
    default_priority="urgent",
    duplicate_window_hours=None,
)


@pytest.fixture(autouse=True)
def event_types():
    with registry.temporarily("tests", HAZARD, APPROVAL, PATROL_ONLY, ALARM):
        yield
