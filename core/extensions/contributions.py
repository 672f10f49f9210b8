"""The kinds of contribution an app can declare. Each is a frozen dataclass with a unique `key`.

Later parts of the platform read them from `registry`; a kind gains fields as the part that
consumes it grows (the dispatch engine reads EventType, the dashboards DashboardMetric, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.module_loading import import_string

PRIORITIES = ("low", "normal", "high", "urgent")
# How an event type's deadline runs: in office working time, or around the clock (emergencies).
CLOCKS = ("office", "round_the_clock")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Contribution:
    kind: ClassVar[str] = ""
    # Attributes holding dotted paths that must import at start-up (a missing piece stops it).
    dotted_paths: ClassVar[tuple[str, ...]] = ()

    key: str

    def problems(self) -> list[str]:
        """What is wrong with this declaration (checked at start-up); nothing by default."""
        return []


@dataclass(frozen=True)
class FormField:
    """A field an event type asks for when reported (shown by front ends, checked by the engine)."""

    name: str
    label: Any
    kind: str = "text"  # text, integer, decimal, date, boolean, choice
    required: bool = False
    choices: tuple[tuple[str, Any], ...] = ()
    max_length: int = 500


@dataclass(frozen=True)
class EventType(Contribution):
    """Something a person must act on; handled by core.workflow (dispatch, SLA, escalation)."""

    kind: ClassVar[str] = "event_types"

    name: Any = ""  # a lazily translated string
    domain: str = ""
    description: Any = ""
    default_priority: str = "normal"  # low, normal, high, urgent
    # The deadline: working days (counted from the day after acceptance) or office hours.
    sla_working_days: int | None = None
    sla_working_hours: float | None = None
    # The role that handles it at its grid, community, … (a declared RoleDefinition's key).
    handler_role: str = "accounts.grid_worker"
    # Optional dotted path of a callable(event_type, grid) -> user or None that finds the first
    # handler of a new event; without it, a grid worker role goes to the grid's lead.
    handler_finder: str = ""
    residents_may_report: bool = False
    form_fields: tuple[FormField, ...] = ()
    # Approvals: the next step belongs to a fixed level, so escalation only alerts supervisors.
    fixed_level: bool = False
    # Reports of the same type at the same house within this many hours merge into one event.
    duplicate_window_hours: int | None = 72
    open311: bool = False  # offered to Open311 clients as a service
    # False: opened only by its domain's own service (an application, a hotline ticket), never
    # through POST /events/ or Open311.
    direct_reports: bool = True
    # The engine's actions people may take through /events/{id}/transition/ (None: all). A type
    # with its own process (an application's review and confirmation) allows fewer; its domain
    # moves the event with core.workflow.services.event_step.
    generic_actions: frozenset[str] | None = None
    # "office": the period counts working days or office hours. "round_the_clock" (an alarm, an
    # elderly person not responding, a child at risk): it counts real days or hours from the
    # report, weekends and holidays included, and escalates to the on-duty roster.
    clock: str = "office"

    def problems(self) -> list[str]:
        # handler_role is checked against the declared roles once every app is loaded
        # (Registry.reference_problems, run by core/accounts/checks.py): a domain's role may be
        # declared after its event types.
        found = []
        if (self.sla_working_days is None) == (self.sla_working_hours is None):
            found.append("declare exactly one of sla_working_days and sla_working_hours")
        if self.default_priority not in PRIORITIES:
            found.append(f"default_priority must be one of {', '.join(PRIORITIES)}")
        if self.handler_finder:
            try:
                import_string(self.handler_finder)
            except ImportError as exc:
                found.append(f"handler_finder {self.handler_finder!r} cannot be imported ({exc})")
        if not self.domain:
            found.append("domain is required")
        if self.clock not in CLOCKS:
            found.append(f"clock must be one of {', '.join(CLOCKS)}")
        if self.open311 and not self.direct_reports:
            found.append("an Open311 service must accept direct reports")
        if self.generic_actions is not None:
            from core.workflow.states import TRANSITIONS

            unknown = sorted(set(self.generic_actions) - set(TRANSITIONS))
            if unknown:
                found.append(f"generic_actions names unknown actions: {', '.join(unknown)}")
        return found


# How a metric's value at a node follows from its children's (docs/dashboards.md):
#   sum        counts and amounts: the parent's value is the sum of its children's and its own.
#   ratio      a rate: numerator and denominator are each summed, then divided (never an average
#              of the children's rates).
#   histogram  medians and percentiles: per-node counts in fixed `buckets` are summed up the tree
#              and the percentile read off the sum (a median of medians is wrong).
METRIC_AGGREGATIONS = ("sum", "ratio", "histogram")
METRIC_PERCENTILES = (50, 90)


@dataclass(frozen=True)
class DashboardMetric(Contribution):
    """An indicator the dashboards show at every node of the region tree (core/dashboards).

    Declare `per_node` (kept in summary tables, updated incrementally) or, as before this
    contract, only `compute` (then each node is computed on its own, slowly, and nothing rolls up).

    `per_node(under)` is called with a region path prefix and returns an iterable of
    `(region_path, part, value)`: the values of the rows placed exactly at each node under it (a
    node's own rows, not its subtree's; core/dashboards rolls them up). `part` is "" for the
    metric itself or the key of a breakdown (a tag, an age band, a use). `value` is a number for
    "sum", a (numerator, denominator) pair for "ratio", and for "histogram" a sequence of
    len(buckets) + 1 counts (values up to each bound, then the rest).

    The incremental-update hook: a save or delete of a model in `sources` ("app_label.Model",
    placed: it has `region_path`) marks its node changed, and the summary of that node and its
    ancestors is refreshed after commit (coalesced per node); bulk writes that send no signals
    call `core.dashboards.changes.mark_changed(paths)` themselves.
    """

    kind: ClassVar[str] = "dashboard_metrics"
    dotted_paths: ClassVar[tuple[str, ...]] = ("compute", "per_node", "history")
    optional_paths: ClassVar[tuple[str, ...]] = ("compute", "per_node", "history")

    name: Any = ""  # a lazily translated string (zh-hans through gettext)
    # Before this contract: a callable(region) -> number or mapping, computed for one node.
    compute: str = ""
    name_en: str = ""  # the English name (export headers, API clients that want it)
    unit: Any = ""  # a lazily translated unit (人, 户, 件, %, 天, 元)
    app: str = ""  # the owning app's label; "" means the app that declares it
    aggregation: str = "sum"
    # A count of people: cells below settings.SMALL_CELL_K are suppressed for roles above the
    # community and in exports (with secondary suppression, docs/dashboards.md).
    counts_people: bool = False
    per_node: str = ""  # dotted path of callable(under_path) -> iterable of (path, part, value)
    sources: tuple[str, ...] = ()  # models whose changes mark their node changed
    buckets: tuple[float, ...] = ()  # histogram upper bounds, ascending (in `unit`)
    parts: tuple[tuple[str, Any], ...] = ()  # known breakdowns: (key, translated label)
    # Optional: callable(under_path, days) -> iterable of (day, path, part, value), the node-own
    # values at the end of each past day that dated rows can derive (rebuilds the series).
    history: str = ""
    # Its value changes as time passes without a write (overdue, age bands, in force today): the
    # dashboards' periodic sweep recomputes it.
    changes_with_time: bool = False
    higher_is_better: bool | None = None  # colours the change; None: neither
    decimals: int = 0  # shown precision (a ratio is shown as a percentage with this many)

    def problems(self) -> list[str]:
        found = []
        if not (self.compute or self.per_node):
            found.append("declare per_node (or, before the dashboards contract, compute)")
        if self.aggregation not in METRIC_AGGREGATIONS:
            found.append(f"aggregation must be one of {', '.join(METRIC_AGGREGATIONS)}")
        if self.aggregation == "histogram" and (
            not self.buckets or list(self.buckets) != sorted(set(self.buckets))
        ):
            found.append("a histogram declares its buckets, ascending and distinct")
        if self.app and not self.key.startswith(f"{self.app}."):
            found.append(f"app {self.app!r} must be the label the key starts with")
        if self.history and not self.per_node:
            found.append("history needs per_node (it returns the same node-own values by day)")
        if self.sources and not self.per_node:
            found.append("sources need per_node (what is refreshed when they change)")
        return found


@dataclass(frozen=True)
class TimelineProvider(Contribution):
    """Adds entries to the one-household-one-file timeline."""

    kind: ClassVar[str] = "timeline_providers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("provider",)

    # dotted path of a callable(household_ids, *, limit, until=None) -> iterable of entries; with
    # `until` (core.registry.timeline.TimelineBound) only those at or before it (the next page)
    provider: str = ""
    # A declared permission: its entries are shown only to who holds it over the household's place
    # (sensitive facts, such as party membership); empty: to everyone who reads the file.
    permission: str = ""


@dataclass(frozen=True)
class ResidentFact(Contribution):
    """A fact a domain adds to the register's resident detail (`facts` of GET
    /api/v1/registry/residents/{id}/), shown only to who holds `permission` over the resident's
    place (core/registry/facts.py)."""

    kind: ClassVar[str] = "resident_facts"
    dotted_paths: ClassVar[tuple[str, ...]] = ("compute",)

    label: Any = ""
    permission: str = ""  # a declared permission
    compute: str = ""  # dotted path of a callable(resident_ids) -> {resident_id: JSON-able value}

    def problems(self) -> list[str]:
        return [] if self.permission else ["permission is required: a fact is shown only to its holders"]


@dataclass(frozen=True)
class OpenWorkProvider(Contribution):
    """Lists the open work a person leaves behind when a role ends (so it is reassigned, not lost)."""

    kind: ClassVar[str] = "open_work_providers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("provider",)

    provider: str = ""  # dotted path of a callable(role_assignment) -> iterable of OpenWorkItem


@dataclass(frozen=True)
class PeriodicTask(Contribution):
    """A beat entry; `expires_seconds` keeps a backlog from piling up while workers are down."""

    kind: ClassVar[str] = "periodic_tasks"

    task: str = ""  # the registered Celery task name
    schedule: Any = 60.0  # seconds, or a celery.schedules.crontab
    queue: str = "default"
    expires_seconds: float | None = None


@dataclass(frozen=True)
class NoticeKind(Contribution):
    kind: ClassVar[str] = "notice_kinds"

    name: Any = ""
    default_channels: tuple[str, ...] = ("in_app",)


@dataclass(frozen=True)
class TagKind(Contribution):
    """A resident tag: derived (computed from data, e.g. 60+) or assigned by a worker."""

    kind: ClassVar[str] = "tag_kinds"

    name: Any = ""
    derived: bool = False
    category: str = ""


@dataclass(frozen=True)
class DemoData(Contribution):
    """Demo records a part adds to `manage.py seed_demo` (after the regions, the register and the
    demo accounts exist); refused in production like the rest of the demo."""

    kind: ClassVar[str] = "demo_data"
    dotted_paths: ClassVar[tuple[str, ...]] = ("loader",)

    # dotted path of a callable(city, *, scale) -> a one-line summary ("" when nothing added);
    # `scale` is a DemoScale: make data in proportion to scale.residents (seed_demo --residents)
    loader: str = ""


@dataclass(frozen=True)
class HandoffConsumer(Contribution):
    """An app that takes hand-offs of one kind from other domains (core.extensions.handoffs).

    `receiver` is called as `receiver(payload, *, key)` after the producer's transaction has
    committed, in a transaction of its own that also marks the hand-off delivered. With
    `where_enabled`, the declaring app is a scenario that takes the hand-off over only where it is
    enabled for the place (ScenarioEnablement); otherwise it is the kind's one consumer (or, for a
    placed kind, its fallback handler).
    """

    kind: ClassVar[str] = "handoff_consumers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("receiver",)

    handoff: str = ""  # the hand-off kind's name, e.g. "service_hours"
    receiver: str = ""  # dotted path of a callable(payload, *, key) -> None
    where_enabled: bool = False

    def problems(self) -> list[str]:
        from core.extensions.handoffs import HANDOFF_KINDS

        found = []
        kind = HANDOFF_KINDS.get(self.handoff)
        if kind is None:
            found.append(
                f"handoff {self.handoff!r} is not a hand-off kind ({', '.join(sorted(HANDOFF_KINDS))})"
            )
            return found
        if self.where_enabled and not kind.placed:
            found.append(f"hand-offs of kind {self.handoff!r} name no place: where_enabled does not apply")
        if not self.where_enabled:
            # At most one consumer (or fallback handler) per kind: two would each take half.
            from core.extensions.registry import registry

            other = next(
                (c for c in registry.items(self.kind) if c.handoff == self.handoff and not c.where_enabled),
                None,
            )
            if other is not None and other.key != self.key:
                found.append(f"hand-offs of kind {self.handoff!r} already go to {other.key!r}")
        return found


@dataclass(frozen=True)
class RetentionRule(Contribution):
    """How long a model's personal data is kept (PIPL art. 19: no longer than the purpose needs;
    art. 47: deleted or anonymized when the period ends). core.retention applies every rule daily,
    set-based, and audits what it removed.

    A row expires when its `starts` date (a field or a lookup through a relation, e.g.
    "application__decided_at") lies more than `keep_years`/`keep_days` in the past and it matches
    `where` (lookups and values). `action` "delete" deletes it; "anonymize" sets the `anonymize`
    fields to their values (rows already holding them are left alone, so a second run does
    nothing). `rule` cites the retention rule the period follows.
    """

    kind: ClassVar[str] = "retention_rules"

    model: str = ""  # "app_label.ModelName"
    starts: str = ""
    keep_years: int = 0
    keep_days: int = 0
    action: str = "delete"  # "delete" or "anonymize"
    anonymize: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)
    rule: str = ""

    def problems(self) -> list[str]:
        found = []
        if self.action not in ("delete", "anonymize"):
            found.append("action must be 'delete' or 'anonymize'")
        if self.action == "anonymize" and not self.anonymize:
            found.append("an anonymize rule names the fields it blanks (anonymize={...})")
        if self.keep_years < 0 or self.keep_days < 0 or not (self.keep_years or self.keep_days):
            found.append("declare a positive keep_years or keep_days")
        if not self.starts:
            found.append("starts (the date that starts the clock) is required")
        if not self.rule:
            found.append("rule (the regulation or archive rule the period follows) is required")
        try:
            from django.apps import apps

            apps.get_model(self.model)
        except (LookupError, ValueError):
            found.append(f"model {self.model!r} is not an installed model")
        return found


@dataclass(frozen=True)
class TodayProvider(Contribution):
    """Adds what is due for a person to their "today" list (GET /api/v1/accounts/me/today/)."""

    kind: ClassVar[str] = "today_providers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("provider",)

    # dotted path of a callable(user, *, limit) -> iterable of core.accounts.today.TodayItem, at
    # most `limit` items, only what the user may see, most urgent first
    provider: str = ""
    # Event types whose events this provider lists itself (an application's event is listed as
    # the application): the dispatch engine's provider leaves them out, so nothing shows twice.
    event_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Permission(Contribution):
    """Something a role may do within its subtree, key "<app_label>.<action>" (e.g. "registry.view").

    Views name it in `action_permissions`, services in `visible_to(user, key)` and
    `Scope.covers(path, key)`; a name nobody declared stops start-up. A permission ending in
    "view_own" reaches a resident's own records instead of a subtree."""

    kind: ClassVar[str] = "permissions"

    label: Any = ""
    # Role keys that hold it by default (a role may also list it in RoleDefinition.permissions).
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleDefinition(Contribution):
    """A role held by a user at a node of the region tree (RoleAssignment), key "<app_label>.<name>".

    A staff or administrator role reaches its node's subtree; the resident role (`subtree=False`)
    reaches only the holder's own records."""

    kind: ClassVar[str] = "roles"

    label: Any = ""
    levels: frozenset[int] = frozenset()  # Region.Level values where it may be held
    two_factor: bool = False  # its holders sign in with a second factor (TOTP)
    staff: bool = False  # local staff: handles work at its place (events, open work)
    # One of the separated administrators (三权分立): an account holds at most one of them.
    admin: bool = False
    subtree: bool = True
    # Roles whose holders (with "accounts.grant") may grant this one, inside their own subtree.
    granted_by: tuple[str, ...] = ()
    # Its holders may grant every role (the security administrator).
    grants_every_role: bool = False
    # Permissions it holds besides those whose declaration names it (a domain's role holding a
    # core permission, say).
    permissions: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        found = []
        if not self.levels:
            found.append("levels is required (the region levels where it may be held)")
        if self.admin and self.staff:
            found.append("a role is staff or an administrator, not both")
        return found


@dataclass(frozen=True)
class PublicRoute(Contribution):
    """A route answered without signing in (a webhook checking its own signature, a signed device
    post, signing in itself). Every other route needs a signed-in caller, and the scope matrix
    fails for a route that is neither public nor scoped."""

    kind: ClassVar[str] = "public_routes"

    url_name: str = ""  # the URL name, as in config/urls.py or the part's api/urls.py
    methods: frozenset[str] = frozenset({"GET"})  # upper-case; "*" means every method
    # An ASGI callable (dotted path) that answers these methods ahead of Django's handler, for a
    # route posted to at a high rate that needs nothing of the middleware (a signed device post):
    # core/api/asgi_shortcuts.py. The view stays the route's answer everywhere else (tests, WSGI,
    # requests the shortcut does not take).
    asgi: str = ""

    def problems(self) -> list[str]:
        found = []
        if not self.url_name:
            found.append("url_name is required")
        if not self.methods:
            found.append("methods is required")
        elif any(m != "*" and m != m.upper() for m in self.methods):
            found.append("methods are upper-case HTTP methods or *")
        if self.asgi and "*" in self.methods:
            found.append("a route answered ahead of Django names its methods")
        return found


@dataclass(frozen=True)
class AuditAction(Contribution):
    """A stable code of the audit log, declared by the app whose action it records (Sentry keeps
    its audit events in one register the same way); `core.audit.services.audit_record` refuses a
    code nobody declared. Rows are never rewritten: `formerly` lists codes the action had before,
    so filtering the log by the action finds its older rows too."""

    kind: ClassVar[str] = "audit_actions"

    name: Any = ""
    formerly: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        return [
            f"{code!r}: audit codes have at most 64 characters"
            for code in (self.key, *self.formerly)
            if len(code) > 64
        ]


CONTRIBUTION_KINDS: dict[str, type[Contribution]] = {
    cls.kind: cls
    for cls in (
        EventType,
        DashboardMetric,
        TimelineProvider,
        OpenWorkProvider,
        PeriodicTask,
        NoticeKind,
        TagKind,
        DemoData,
        Permission,
        RoleDefinition,
        PublicRoute,
        AuditAction,
        HandoffConsumer,
        RetentionRule,
        TodayProvider,
        ResidentFact,
    )
}
