from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import AuditAction, DemoData, EventType, PeriodicTask, Permission, PublicRoute

STAFF = (
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
)

CONTRIBUTIONS = [
    Permission(key="extreme_weather.view", label=_("See weather warnings and care visits"), roles=STAFF),
    Permission(
        key="extreme_weather.issue",
        label=_("Enter and end weather warnings"),
        roles=(Role.COMMUNITY_WORKER, Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    Permission(
        key="extreme_weather.visit",
        label=_("Record a care visit"),
        roles=(Role.GRID_WORKER, Role.COMMUNITY_WORKER),
    ),
    EventType(
        key="extreme_weather.care_visit",
        name=_("Care visit during a weather warning"),
        domain="services",
        handler_role=Role.GRID_WORKER,
        sla_working_hours=24,
        clock="round_the_clock",
        default_priority="high",
        direct_reports=False,
        duplicate_window_hours=None,
    ),
    EventType(
        key="extreme_weather.patrol",
        name=_("Patrol for people sleeping rough during a weather warning"),
        domain="safety",
        handler_role=Role.COMMUNITY_WORKER,
        sla_working_hours=12,
        clock="round_the_clock",
        default_priority="high",
        direct_reports=False,
        duplicate_window_hours=None,
    ),
    PeriodicTask(
        key="extreme_weather.end_expired",
        task="extreme_weather.end_expired",
        schedule=300.0,
        expires_seconds=240,
    ),
    PublicRoute(key="extreme_weather.push", url_name="extreme_weather-push", methods=frozenset({"POST"})),
    AuditAction(key="extreme_weather.warning.issue", name=_("Weather warning issued")),
    AuditAction(key="extreme_weather.warning.end", name=_("Weather warning ended")),
    AuditAction(key="extreme_weather.visit.reach", name=_("Resident reached during a weather warning")),
    AuditAction(key="extreme_weather.care_visit.reach", name=_("Care visit closed")),
    AuditAction(key="extreme_weather.patrol.reach", name=_("Patrol closed")),
    DemoData(key="extreme_weather.demo", loader="scenarios.extreme_weather.demo.seed_extreme_weather"),
]
