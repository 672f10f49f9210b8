from celery.schedules import crontab
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
    Permission(key="low_income.view", label=_("See low-income monitoring flags and records"), roles=STAFF),
    Permission(
        key="low_income.import_records",
        label=_("Import other offices' records for low-income monitoring"),
        roles=(Role.COMMUNITY_WORKER, Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    Permission(
        key="low_income.handle",
        label=_("Close low-income monitoring flags"),
        roles=(Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY),
    ),
    # 主动发现 (民政部 2023 低收入人口动态监测意见): the grid worker visits and assesses the household.
    EventType(
        key="low_income.active_discovery",
        name=_("Active discovery: household at risk"),
        domain="affairs",
        description=_("Other offices' data show a household may fall below the standard: visit and assess."),
        handler_role=Role.GRID_WORKER,
        sla_working_days=5,
        direct_reports=False,
        duplicate_window_hours=None,
    ),
    PeriodicTask(
        key="low_income.run_rules",
        task="low_income.run_rules",
        schedule=crontab(hour=5, minute=17),
        expires_seconds=6 * 3600,
    ),
    PublicRoute(key="low_income.push", url_name="low_income-push", methods=frozenset({"POST"})),
    AuditAction(key="low_income.record.import", name=_("Low-income monitoring: records imported")),
    AuditAction(key="low_income.record.push", name=_("Low-income monitoring: records pushed")),
    AuditAction(key="low_income.rules.run", name=_("Low-income monitoring: rules run")),
    AuditAction(key="low_income.flag.close", name=_("Low-income monitoring: flag closed")),
    DemoData(key="low_income.demo", loader="scenarios.low_income.demo.seed_low_income"),
]
