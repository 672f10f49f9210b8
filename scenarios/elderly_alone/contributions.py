from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    HandoffConsumer,
    PeriodicTask,
    Permission,
)

STAFF = (
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
)


def _step(key: str, name, role: str, hours: float) -> EventType:
    # Deadlines come from the scenario's settings (minutes); the type's own is the fallback.
    return EventType(
        key=f"elderly_alone.{key}",
        name=name,
        domain="safety",
        handler_role=role,
        sla_working_hours=hours,
        clock="round_the_clock",
        default_priority="urgent",
        direct_reports=False,
        duplicate_window_hours=None,
    )


CONTRIBUTIONS = [
    Permission(
        key="elderly_alone.view", label=_("See care cases of elderly people living alone"), roles=STAFF
    ),
    Permission(
        key="elderly_alone.handle",
        label=_("Close care cases of elderly people living alone"),
        roles=(Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY),
    ),
    _step("call", _("Call an elderly person living alone"), Role.GRID_WORKER, 0.25),
    _step("visit", _("Visit an elderly person living alone"), Role.GRID_WORKER, 1),
    _step("contact", _("Reach the emergency contact and the community"), Role.COMMUNITY_WORKER, 1),
    HandoffConsumer(
        key="elderly_alone.care_signals",
        handoff="care_signal",
        receiver="scenarios.elderly_alone.services.receive_care_signal",
        where_enabled=True,
    ),
    PeriodicTask(
        key="elderly_alone.escalate", task="elderly_alone.escalate", schedule=60.0, expires_seconds=50
    ),
    DashboardMetric(
        key="elderly_alone.false_alarms",
        name=_("False alarms of devices"),
        name_en="False alarms of devices",
        unit=_("cases (unit)"),
        per_node="scenarios.elderly_alone.statistics.false_alarms_per_node",
        sources=("elderly_alone.CareCase",),
        # Before the summary tables: per device, node by node (the scenario's own figure).
        compute="scenarios.elderly_alone.statistics.false_alarms",
    ),
    AuditAction(key="elderly_alone.case.open", name=_("Care case opened from a care signal")),
    AuditAction(key="elderly_alone.case.escalate", name=_("Care case moved to its next step")),
    AuditAction(key="elderly_alone.case.close", name=_("Care case closed")),
    AuditAction(key="elderly_alone.call.close", name=_("Care call closed with its case")),
    AuditAction(key="elderly_alone.visit.close", name=_("Care visit closed with its case")),
    AuditAction(key="elderly_alone.contact.close", name=_("Emergency contact step closed with its case")),
    DemoData(key="elderly_alone.demo", loader="scenarios.elderly_alone.demo.seed_elderly_alone"),
]
