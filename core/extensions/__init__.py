"""The one contract through which domains and scenarios add to the platform.

An app subclasses `PlatformAppConfig` and declares what it contributes; `registry` collects and
validates every declaration at start-up. See docs/extensions.md.
"""

from core.extensions.appconfig import PlatformAppConfig
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
    "TagKind",
    "TimelineProvider",
    "TodayProvider",
]
