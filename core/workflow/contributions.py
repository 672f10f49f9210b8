from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    FormField,
    NoticeKind,
    OpenWorkProvider,
    PeriodicTask,
    Permission,
    PublicRoute,
    TodayProvider,
)

# The engine's own steps on an event (a domain's own steps are audited under its event type).
EVENT_AUDIT_ACTIONS = {
    "report": _("Event reported"),
    "merge": _("Event merged into another"),
    "rate": _("Event rated"),
    "accept": _("Event accepted"),
    "reject": _("Event rejected"),
    "assign": _("Event assigned"),
    "take_over": _("Escalated event taken over"),
    "start": _("Work on an event started"),
    "wait": _("Event waiting"),
    "resume": _("Event resumed"),
    "resolve": _("Event resolved"),
    "close": _("Event closed"),
    "reopen": _("Event reopened"),
    "escalate": _("Event escalated"),
}

CONTRIBUTIONS = [
    # A resident's or worker's request that no domain claims more precisely (居民诉求).
    EventType(
        key="workflow.general_request",
        name=_("General request"),
        domain="management",
        sla_working_days=5,
        residents_may_report=True,
        open311=True,
        form_fields=(FormField(name="contact_time", label=_("When to contact you"), max_length=100),),
    ),
    # What the engine tells people (core.workflow.announce).
    NoticeKind(key="workflow.event_assigned", name=_("Event assigned"), default_channels=("in_app", "sms")),
    NoticeKind(key="workflow.event_escalated", name=_("Event escalated"), default_channels=("in_app", "sms")),
    NoticeKind(key="workflow.event_state_changed", name=_("Event state changed")),
    *(AuditAction(key=f"workflow.event.{action}", name=name) for action, name in EVENT_AUDIT_ACTIONS.items()),
    AuditAction(key="workflow.attachment.add", name=_("Attachment added to an event")),
    AuditAction(key="workflow.attachment.download", name=_("Event attachment downloaded")),
    AuditAction(key="workflow.duty_shift.add", name=_("On-duty shift added")),
    AuditAction(key="workflow.duty_shift.end", name=_("On-duty shift ended")),
    OpenWorkProvider(key="workflow.open_events", provider="core.workflow.selectors.open_events_of"),
    PeriodicTask(
        key="workflow.escalate_overdue", task="workflow.escalate_overdue", schedule=60.0, expires_seconds=55.0
    ),
]

# Events and work orders: who may act on one is then decided by the state machine.
_STAFF = (
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
)
CONTRIBUTIONS += [
    Permission(key="workflow.view", label=_("View events"), roles=_STAFF),
    Permission(
        key="workflow.view_own", label=_("View the events one reported or follows"), roles=(Role.RESIDENT,)
    ),
    Permission(key="workflow.report", label=_("Report events"), roles=(Role.RESIDENT, *_STAFF)),
    Permission(key="workflow.handle", label=_("Handle events"), roles=_STAFF),
    # Open311 GeoReport v2: reads carry no personal data; creating a request needs the client's
    # API key instead of a session or token.
    PublicRoute(key="workflow.open311_discovery", url_name="open311-discovery", methods=frozenset({"GET"})),
    PublicRoute(key="workflow.open311_services", url_name="open311-services", methods=frozenset({"GET"})),
    PublicRoute(key="workflow.open311_service", url_name="open311-service", methods=frozenset({"GET"})),
    PublicRoute(
        key="workflow.open311_requests", url_name="open311-requests", methods=frozenset({"GET", "POST"})
    ),
    PublicRoute(key="workflow.open311_request", url_name="open311-request", methods=frozenset({"GET"})),
]
# A worker's "today" list: the events due for them or waiting for them (core.workflow.today).
CONTRIBUTIONS.append(TodayProvider(key="workflow.events_due", provider="core.workflow.today.events_due"))
# At a city's scale, two years of events with their history (core.workflow.demo).
CONTRIBUTIONS.append(DemoData(key="workflow.demo_events", loader="core.workflow.demo.seed_events"))

# What the dashboards show of the dispatch engine (core/dashboards; values from core.workflow.metrics).
_EVENTS = _("events (unit)")
_METRICS = "core.workflow.metrics"
_EVENT_SOURCES = ("workflow.Event",)
CONTRIBUTIONS += [
    DashboardMetric(
        key="workflow.events_open",
        name=_("Events open"),
        name_en="Events open",
        unit=_EVENTS,
        per_node=f"{_METRICS}.events_open",
        sources=_EVENT_SOURCES,
        higher_is_better=False,
    ),
    DashboardMetric(
        key="workflow.events_overdue",
        name=_("Events overdue"),
        name_en="Events overdue",
        unit=_EVENTS,
        per_node=f"{_METRICS}.events_overdue",
        sources=_EVENT_SOURCES,
        changes_with_time=True,
        higher_is_better=False,
    ),
    DashboardMetric(
        key="workflow.events_resolved_on_time",
        name=_("Events resolved on time"),
        name_en="Events resolved on time",
        unit="%",
        aggregation="ratio",
        per_node=f"{_METRICS}.events_resolved_on_time",
        history=f"{_METRICS}.events_resolved_on_time_history",
        sources=_EVENT_SOURCES,
        higher_is_better=True,
        decimals=1,
    ),
    DashboardMetric(
        key="workflow.resolve_time",
        name=_("Time to resolve (median)"),
        name_en="Time to resolve (median)",
        unit=_("hours"),
        aggregation="histogram",
        buckets=(1.0, 4.0, 8.0, 24.0, 48.0, 72.0, 120.0, 168.0, 336.0, 720.0),
        per_node=f"{_METRICS}.resolve_time",
        sources=_EVENT_SOURCES,
        higher_is_better=False,
    ),
    DashboardMetric(
        key="workflow.satisfaction",
        name=_("Satisfaction (mean rating 1–5)"),
        name_en="Satisfaction (mean rating 1–5)",
        unit=_("points"),
        aggregation="ratio",
        per_node=f"{_METRICS}.satisfaction",
        sources=_EVENT_SOURCES,
        higher_is_better=True,
        decimals=2,
    ),
]
