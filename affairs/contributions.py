"""What government affairs declares through the extension contract: the event types its
applications and benefit reviews run on, its notice kinds, the tags benefits set, its periodic
task and its timeline provider."""

from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    DashboardMetric,
    DemoData,
    EventType,
    NoticeKind,
    PeriodicTask,
    RetentionRule,
    TagKind,
    TimelineProvider,
    TodayProvider,
)

# Every application runs on one event of this type; its item sets the limit of the whole
# application (Event.sla_working_days), and its steps are the domain's (affairs.stages).
APPLICATION = EventType(
    key="affairs.application",
    name=_("Application"),
    domain="affairs",
    description=_("An application for a service item (低保, 特困, subsidies …)."),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=20,
    fixed_level=True,  # each step belongs to its configured level: overdue only alerts supervisors
    duplicate_window_hours=None,
    direct_reports=False,
    generic_actions=frozenset(),
)
# A benefit's periodic re-check (e.g. yearly for 低保), and a review opened when a member of a
# household with benefits in force dies or moves out.
BENEFIT_RECHECK = EventType(
    key="affairs.benefit_recheck",
    name=_("Benefit re-check"),
    domain="affairs",
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=20,
    duplicate_window_hours=None,
    direct_reports=False,
)
BENEFIT_REVIEW = EventType(
    key="affairs.benefit_review",
    name=_("Benefit review after a household change"),
    domain="affairs",
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=10,
    default_priority="high",
    duplicate_window_hours=None,
    direct_reports=False,
)

CONTRIBUTIONS = [
    APPLICATION,
    BENEFIT_RECHECK,
    BENEFIT_REVIEW,
    NoticeKind(key="affairs.application", name=_("Your application"), default_channels=("in_app",)),
    NoticeKind(key="affairs.application_turn", name=_("An application waits for your step")),
    TagKind(
        key="disability_living_subsidy", name=_("Living subsidy for disabled people"), category="assistance"
    ),
    TagKind(
        key="disability_care_subsidy",
        name=_("Care subsidy for severely disabled people"),
        category="assistance",
    ),
    TagKind(key="longevity_allowance", name=_("Longevity allowance"), category="assistance"),
    # Appended by the eligibility and benefits part: re-checks fall due every morning; the
    # household file shows applications and benefits.
    PeriodicTask(
        key="affairs.open_due_rechecks",
        task="affairs.open_due_rechecks",
        schedule=crontab(hour=6, minute=7),
        expires_seconds=6 * 3600,
    ),
    TimelineProvider(key="affairs", provider="affairs.timeline.affairs_entries"),
    # Appended by the statistics part: what the dashboards show of government affairs.
    DashboardMetric(
        key="affairs.applications_open",
        name=_("Applications open"),
        compute="affairs.statistics.open_applications",
    ),
    DashboardMetric(
        key="affairs.benefits_in_force",
        name=_("Benefits in force"),
        compute="affairs.statistics.benefits_in_force",
    ),
    # What `manage.py seed_demo` shows of government affairs.
    DemoData(key="affairs.demo_applications", loader="affairs.demo.seed_applications"),
]


# Retention (PIPL art. 19, 47). An application that was rejected or withdrawn keeps what the
# household declared (incomes, assets, item details, the eligibility found) for 10 years after
# the decision, the "定期10年" archive period of 《机关文件材料归档范围和文书档案保管期限规定》
# (国家档案局令第8号) for routine case files; then those figures are blanked. The application
# itself (item, stage, dates, who decided) stays as the record of the decision. Approved
# applications stay while their benefits are the record of what was paid.
CLOSED_APPLICATION_KEEP_YEARS = 10
_CLOSED_WITHOUT_BENEFIT = ["rejected", "withdrawn"]
_CLOSED_BASIS = "PIPL art. 19, 47; 定期10年 archive period (国家档案局令第8号) after the decision"
CONTRIBUTIONS += [
    RetentionRule(
        key="affairs.closed_applications",
        model="affairs.Application",
        starts="decided_at",
        where={"stage__in": _CLOSED_WITHOUT_BENEFIT},
        keep_years=CLOSED_APPLICATION_KEEP_YEARS,
        action="anonymize",
        anonymize={
            "financial_assets": 0,
            "vehicles": 0,
            "extra_houses": 0,
            "details": {},
            "eligibility": {},
            "missing": [],
            "decision_note": "（已匿名）",
        },
        rule=_CLOSED_BASIS,
    ),
    RetentionRule(
        key="affairs.closed_applications_members",
        model="affairs.ApplicationMember",
        starts="application__decided_at",
        where={"application__stage__in": _CLOSED_WITHOUT_BENEFIT},
        keep_years=CLOSED_APPLICATION_KEEP_YEARS,
        action="anonymize",
        anonymize={
            "monthly_income": 0,
            "able_to_work": False,
            "seriously_ill": False,
            "severely_disabled": False,
        },
        rule=_CLOSED_BASIS,
    ),
]

# What a worker's "today" list (/api/v1/accounts/me/today/) shows of government affairs: the
# application and re-check events are listed here, as applications and re-checks.
CONTRIBUTIONS += [
    TodayProvider(
        key="affairs.applications_waiting",
        provider="affairs.today.applications_waiting",
        event_types=("affairs.application",),
    ),
    TodayProvider(
        key="affairs.rechecks_due",
        provider="affairs.today.rechecks_due",
        event_types=("affairs.benefit_recheck",),
    ),
]
