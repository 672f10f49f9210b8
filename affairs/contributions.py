"""What government affairs declares through the extension contract: the event types its
applications and benefit reviews run on, its notice kinds, the tags benefits set, its periodic
task and its timeline provider."""

from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    HandoffConsumer,
    NoticeKind,
    PeriodicTask,
    Permission,
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

# The steps of an application (affairs.stages.STEPS), audited under its event type; rows written
# before the keys carried their app's label have the engine's code.
APPLICATION_STEPS = {
    "intake": _("Application accepted for handling"),
    "investigate": _("Application investigated"),
    "review": _("Application reviewed"),
    "end_publicity": _("Application's publicity ended"),
    "confirm": _("Application approved"),
    "reject": _("Application refused"),
    "return": _("Application returned for missing materials"),
    "supplement": _("Missing materials supplied"),
    "withdraw": _("Application withdrawn"),
}
AUDIT_ACTIONS = [
    *(
        AuditAction(key=f"{APPLICATION.key}.{step}", name=name, formerly=(f"workflow.event.affairs.{step}",))
        for step, name in APPLICATION_STEPS.items()
    ),
    AuditAction(key="affairs.application.submit", name=_("Application submitted")),
    AuditAction(key="affairs.application.print", name=_("Application form printed")),
    AuditAction(key="affairs.benefit.grant", name=_("Benefit granted")),
    AuditAction(key="affairs.benefit.end", name=_("Benefit ended")),
    AuditAction(key="affairs.objection.raise", name=_("Objection raised during publicity")),
    AuditAction(key="affairs.objection.settle", name=_("Objection settled")),
    AuditAction(key="affairs.standard.create", name=_("Assistance standard set")),
    AuditAction(key="affairs.standard.end", name=_("Assistance standard ended")),
]

CONTRIBUTIONS = [
    *AUDIT_ACTIONS,
    APPLICATION,
    BENEFIT_RECHECK,
    BENEFIT_REVIEW,
    NoticeKind(key="affairs.application", name=_("Your application"), default_channels=("in_app",)),
    NoticeKind(key="affairs.application_turn", name=_("An application waits for your step")),
    TagKind(
        key="affairs.disability_living_subsidy",
        name=_("Living subsidy for disabled people"),
        category="assistance",
    ),
    TagKind(
        key="affairs.disability_care_subsidy",
        name=_("Care subsidy for severely disabled people"),
        category="assistance",
    ),
    TagKind(key="affairs.longevity_allowance", name=_("Longevity allowance"), category="assistance"),
    # Appended by the eligibility and benefits part: re-checks fall due every morning; the
    # household file shows applications and benefits.
    PeriodicTask(
        key="affairs.open_due_rechecks",
        task="affairs.open_due_rechecks",
        schedule=crontab(hour=6, minute=7),
        expires_seconds=6 * 3600,
    ),
    TimelineProvider(key="affairs.timeline", provider="affairs.timeline.affairs_entries"),
    # A scenario's rules found a recipient whose situation changed: the household is re-checked.
    HandoffConsumer(
        key="affairs.recheck_handed_over",
        handoff="benefit_recheck",
        receiver="affairs.benefits.recheck_handed_over",
    ),
    # Appended by the statistics part: what the dashboards show of government affairs.
    DashboardMetric(
        key="affairs.applications_open",
        name=_("Applications open"),
        name_en="Applications open",
        unit=_("applications (unit)"),
        per_node="affairs.statistics.applications_open_per_node",
        sources=("affairs.Application",),
        compute="affairs.statistics.open_applications",
    ),
    DashboardMetric(
        key="affairs.applications_on_time",
        name=_("Applications decided on time"),
        name_en="Applications decided on time",
        unit="%",
        aggregation="ratio",
        per_node="affairs.statistics.applications_on_time_per_node",
        sources=("affairs.Application",),
        higher_is_better=True,
        decimals=1,
    ),
    DashboardMetric(
        key="affairs.benefits_in_force",
        name=_("Benefits in force"),
        name_en="Benefits in force",
        unit=_("benefits (unit)"),
        # A count of benefits, but each is one household's or person's: small counts identify.
        counts_people=True,
        per_node="affairs.statistics.benefits_in_force_per_node",
        sources=("affairs.Benefit",),
        changes_with_time=True,
        compute="affairs.statistics.benefits_in_force",
    ),
    DashboardMetric(
        key="affairs.benefits_monthly_amount",
        name=_("Benefits paid monthly"),
        name_en="Benefits paid monthly",
        unit=_("yuan"),
        per_node="affairs.statistics.benefits_monthly_amount_per_node",
        sources=("affairs.Benefit",),
        changes_with_time=True,
        decimals=2,
    ),
    # What `manage.py seed_demo` shows of government affairs.
    DemoData(key="affairs.demo_applications", loader="affairs.demo.seed_applications"),
]

# What roles may do with government affairs, within their subtree. affairs.apply is applying (a
# resident for their household, a worker on a resident's behalf, 代办); affairs.handle is taking
# an application's steps, each at the level its item configures; affairs.configure edits the
# catalogue and the standards.
_OFFICES = (Role.STREET_STAFF, Role.DISTRICT_STAFF)
_COMMUNITY = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
CONTRIBUTIONS += [
    Permission(
        key="affairs.view",
        label=_("View applications and benefits"),
        roles=(Role.GRID_WORKER, *_COMMUNITY, *_OFFICES),
    ),
    Permission(
        key="affairs.view_own", label=_("View one's own applications and benefits"), roles=(Role.RESIDENT,)
    ),
    Permission(
        key="affairs.apply",
        label=_("Apply for a service item"),
        roles=(Role.RESIDENT, Role.GRID_WORKER, *_COMMUNITY),
    ),
    Permission(key="affairs.handle", label=_("Take an application's steps"), roles=(*_COMMUNITY, *_OFFICES)),
    Permission(
        key="affairs.configure", label=_("Edit the catalogue and the standards"), roles=(Role.DISTRICT_STAFF,)
    ),
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
