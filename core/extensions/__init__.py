"""The one contract through which domains and scenarios add to the platform.

An app subclasses `PlatformAppConfig` and declares what it contributes; `registry` collects and
validates every declaration at start-up. See docs/extensions.md.
"""

from core.extensions.appconfig import PlatformAppConfig, ScenarioAppConfig
from core.extensions.contributions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    FormField,
    HandoffConsumer,
    NoticeKind,
    OpenWorkProvider,
    PeriodicTask,
    Permission,
    PublicRoute,
    ResidentFact,
    RetentionRule,
    RoleDefinition,
    TagKind,
    TimelineProvider,
    TodayProvider,
)
from core.extensions.scenario_contract import Setting

__all__ = [
    "AuditAction",
    "DashboardMetric",
    "DemoData",
    "EventType",
    "FormField",
    "HandoffConsumer",
    "NoticeKind",
    "OpenWorkProvider",
    "PeriodicTask",
    "Permission",
    "PlatformAppConfig",
    "PublicRoute",
    "ResidentFact",
    "RetentionRule",
    "RoleDefinition",
    "ScenarioAppConfig",
    "Setting",
    "TagKind",
    "TimelineProvider",
    "TodayProvider",
]
