"""What party building declares through the extension contract: its permissions, the events a
missed meeting and a resident's request for help open, the reminder of a meeting falling due,
the daily check of meetings, the timeline of a member's party events, its statistics and its demo."""

from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    NoticeKind,
    PeriodicTask,
    Permission,
    ResidentFact,
    TimelineProvider,
)

VIEW = "party_building.view"
MANAGE = "party_building.manage"
VIEW_MEMBERSHIP = "party_building.view_membership"
ASK_HELP = "party_building.ask_help"

# A meeting of 三会一课 whose period passed without it: the community party committee's secretary
# (社区党委书记, the community secretary's role) follows it up with the branch.
MEETING_MISSED = EventType(
    key="party_building.meeting_missed",
    name=_("Party meeting missed"),
    domain="party_building",
    description=_("A branch did not hold a meeting of organizational life that fell due."),
    handler_role=Role.COMMUNITY_SECRETARY,
    sla_working_days=10,
    duplicate_window_hours=None,
    direct_reports=False,
)
# A resident asks a pioneer post (党员先锋岗) for help; the grid's worker dispatches it.
HELP_REQUEST = EventType(
    key="party_building.help_request",
    name=_("Request to a pioneer post"),
    domain="party_building",
    description=_("A resident asked a party members' pioneer post for help."),
    handler_role=Role.GRID_WORKER,
    sla_working_days=3,
    duplicate_window_hours=None,
    direct_reports=False,
)

AUDIT_ACTIONS = [
    AuditAction(key="party_building.organization.create", name=_("Party organization set up")),
    AuditAction(key="party_building.officer.appoint", name=_("Committee post filled")),
    AuditAction(key="party_building.member.create", name=_("Party member registered")),
    AuditAction(key="party_building.member.make_full", name=_("Probationary member became full")),
    AuditAction(key="party_building.member.transfer", name=_("Party member's relation transferred")),
    AuditAction(key="party_building.dues.amount", name=_("Party dues amount set")),
    AuditAction(key="party_building.dues.payment", name=_("Party dues payment recorded")),
    AuditAction(key="party_building.frequency.create", name=_("Meeting frequency set")),
    AuditAction(key="party_building.frequency.end", name=_("Meeting frequency ended")),
    AuditAction(key="party_building.meeting.plan", name=_("Party meeting planned")),
    AuditAction(key="party_building.meeting.hold", name=_("Party meeting held")),
    AuditAction(key="party_building.meeting.miss", name=_("Party meeting missed")),
    AuditAction(key="party_building.minutes.attach", name=_("Minutes attachment added")),
    AuditAction(key="party_building.minutes.download", name=_("Minutes attachment downloaded")),
    AuditAction(key="party_building.election.open", name=_("Committee election opened")),
    AuditAction(key="party_building.election.vote", name=_("Ballot cast")),
    AuditAction(key="party_building.election.close", name=_("Committee election closed")),
    AuditAction(key="party_building.report.create", name=_("In-service member reported")),
    AuditAction(key="party_building.post.create", name=_("Pioneer post set up")),
    AuditAction(key="party_building.post.assign", name=_("Member assigned to a pioneer post")),
    AuditAction(key="party_building.service.record", name=_("Party member's service recorded")),
]

_COMMUNITY = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
_OFFICES = (Role.STREET_STAFF, Role.DISTRICT_STAFF)
CONTRIBUTIONS = [
    *AUDIT_ACTIONS,
    MEETING_MISSED,
    HELP_REQUEST,
    Permission(key=VIEW, label=_("View party organizations and members"), roles=(*_COMMUNITY, *_OFFICES)),
    Permission(
        key=MANAGE,
        label=_("Keep party organizations, members, meetings and service"),
        roles=(*_COMMUNITY, Role.STREET_STAFF),
    ),
    # Party membership is political opinion, sensitive personal information (PIPL art. 28): the
    # resident detail shows it only to these roles.
    Permission(
        key=VIEW_MEMBERSHIP,
        label=_("See whether a resident is a party member"),
        roles=(Role.COMMUNITY_SECRETARY, *_OFFICES),
    ),
    Permission(key=ASK_HELP, label=_("Ask a pioneer post for help"), roles=(Role.RESIDENT, Role.GRID_WORKER)),
    NoticeKind(key="party_building.meeting_due", name=_("A party meeting falls due")),
    NoticeKind(key="party_building.meeting_missed", name=_("A party meeting was missed")),
    PeriodicTask(
        key="party_building.check_meetings",
        task="party_building.check_meetings",
        schedule=crontab(hour=6, minute=23),
        expires_seconds=6 * 3600,
    ),
    # Party membership is shown in the household file and the resident detail only to the holders
    # of party_building.view_membership over the person's place.
    TimelineProvider(
        key="party_building.timeline",
        provider="party_building.timeline.party_entries",
        permission=VIEW_MEMBERSHIP,
    ),
    ResidentFact(
        key="party_building.membership",
        label=_("Party membership"),
        permission=VIEW_MEMBERSHIP,
        compute="party_building.timeline.membership",
    ),
    # What the dashboards show of party building: node-own values (party_building.statistics),
    # kept in the summary tables and rolled up; part "" is the headline, the others the figures.
    DashboardMetric(
        key="party_building.members",
        name=_("Party members by organization, kind, age band and education"),
        name_en="Party members",
        unit=_("members (unit)"),
        per_node="party_building.statistics.members_per_node",
        sources=("party_building.Member",),
        compute="party_building.statistics.members",
    ),
    DashboardMetric(
        key="party_building.organizations",
        name=_("Party organizations by kind, with and without a full committee"),
        name_en="Party organizations",
        unit=_("organizations (unit)"),
        per_node="party_building.statistics.organizations_per_node",
        sources=("party_building.Organization",),
        compute="party_building.statistics.organizations",
    ),
    DashboardMetric(
        key="party_building.meetings",
        name=_("Party meetings held on time, late and missed per quarter"),
        name_en="Party meetings due this year, held or missed",
        unit=_("meetings (unit)"),
        per_node="party_building.statistics.meetings_per_node",
        sources=("party_building.Meeting",),
        changes_with_time=True,  # this year's
        compute="party_building.statistics.meetings",
    ),
    DashboardMetric(
        key="party_building.in_service",
        name=_("In-service party members reported and active"),
        name_en="In-service party members reported this year",
        unit=_("members (unit)"),
        per_node="party_building.statistics.in_service_per_node",
        # A service record marks the place it was done and the place its member reported at.
        sources=(
            "party_building.InServiceReport",
            "party_building.ServiceRecord",
            "party_building.ServiceRecord:report.region_path",
        ),
        changes_with_time=True,
        compute="party_building.statistics.in_service",
    ),
    DashboardMetric(
        key="party_building.service_hours",
        name=_("Party members' service hours"),
        name_en="Party members' service hours",
        unit=_("hours"),
        per_node="party_building.statistics.service_hours_per_node",
        sources=("party_building.ServiceRecord",),
        changes_with_time=True,  # this year's part
        decimals=1,
        compute="party_building.statistics.service_hours",
    ),
    DemoData(key="party_building.demo", loader="party_building.demo.seed_party_building"),
]
