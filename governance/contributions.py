"""What co-governance declares through the extension contract: its permissions, the event type
of a decision's follow-up work, its notice kinds, audit actions, metrics and demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    NoticeKind,
    Permission,
    RoleDefinition,
    TagKind,
)
from core.regions.models import Region

VIEW = "governance.view"
VIEW_OWN = "governance.view_own"
RAISE = "governance.raise"
DISCUSS = "governance.discuss"
DISCUSS_OWN = "governance.discuss_own"
TAKE_PART_OWN = "governance.take_part_own"
MANAGE = "governance.manage"
REVIEW = "governance.review"
# A member of the community's elected committee (村民委员会 / 居民委员会成员), granted at the
# community by the election's handover and ended by the next one.
COMMITTEE_MEMBER = "governance.committee_member"

FOLLOW_UP = EventType(
    key="governance.follow_up",
    name=_("Follow-up of a deliberation"),
    domain="governance",
    description=_("Work a deliberation decided on (议事协商 follow-up), whose progress the topic shows."),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=20,
    duplicate_window_hours=None,
    direct_reports=False,
    generic_actions=frozenset(),
)

_AUDITED = {
    "topic.raise": _("Deliberation topic raised"),
    "topic.comment": _("Comment on a deliberation topic"),
    "topic.answer": _("Official answer to a deliberation topic"),
    "topic.open_vote": _("Vote on a deliberation topic opened"),
    "topic.vote": _("Vote cast on a deliberation topic"),
    "topic.close_vote": _("Vote on a deliberation topic closed and counted"),
    "topic.decide": _("Deliberation topic decided"),
    "topic.follow_up": _("Follow-up work of a deliberation opened"),
    "meeting.hold": _("Deliberation meeting recorded"),
    "survey.create": _("Survey created"),
    "survey.answer": _("Survey answered"),
    "survey.close": _("Survey closed"),
    "organization.register": _("Social organization registered"),
    "organization.report": _("Social organization's annual report"),
    "venture.open": _("Public-benefit venture round opened"),
    "venture.apply": _("Public-benefit venture application"),
    "venture.assign": _("Venture reviewer assigned"),
    "venture.score": _("Venture application scored"),
    "venture.fund": _("Venture application funded"),
    "venture.milestone_add": _("Venture milestone agreed"),
    "venture.milestone": _("Venture milestone reported"),
    "venture.evaluate": _("Venture project evaluated"),
    "election.rules": _("Election rules added"),
    "election.announce": _("Committee election announced"),
    "election.roll": _("Voter roll compiled"),
    "election.roll_add": _("Voter added to the roll"),
    "election.away": _("Voter living away declared whether they will vote"),
    "election.objection": _("Objection to the voter roll"),
    "election.objection_decide": _("Objection to the voter roll decided"),
    "election.nominate": _("Candidate nominated and reviewed"),
    "election.proxy": _("Proxy vote authorized"),
    "election.count": _("Ballot box count entered"),
    "election.result": _("Election result declared"),
    "election.further_round": _("Further round of an election opened for its empty seats"),
    "election.handover": _("New committee's roles granted and the old ones ended"),
    "unit.register": _("Co-building unit registered"),
    "need.raise": _("Community need raised"),
    "need.match": _("Community need matched to a resource"),
    "need.close": _("Outcome of a community need recorded"),
    "burden.form": _("Upstream report form registered"),
    "burden.generate": _("Upstream report generated"),
}
AUDIT_ACTIONS = [AuditAction(key=f"governance.{code}", name=name) for code, name in _AUDITED.items()]

_COMMUNITY = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
_STAFF = (Role.GRID_WORKER, *_COMMUNITY, Role.STREET_STAFF, Role.DISTRICT_STAFF)

CONTRIBUTIONS = [
    *AUDIT_ACTIONS,
    FOLLOW_UP,
    RoleDefinition(
        key=COMMITTEE_MEMBER,
        label=_("Member of the villagers' or residents' committee"),
        levels=frozenset({Region.Level.COMMUNITY}),
        granted_by=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    # Set by a worker on a court's judgment: off every voter roll while it lasts.
    TagKind(
        key="governance.deprived_of_political_rights",
        name=_("Deprived of political rights"),
        category="legal",
    ),
    NoticeKind(key="governance.topic", name=_("A deliberation you follow")),
    Permission(key=VIEW, label=_("View co-governance"), roles=(*_STAFF, COMMITTEE_MEMBER)),
    Permission(
        key=VIEW_OWN, label=_("View the deliberations and surveys of one's community"), roles=(Role.RESIDENT,)
    ),
    Permission(key=RAISE, label=_("Raise a deliberation topic"), roles=(Role.RESIDENT, *_COMMUNITY)),
    Permission(
        key=DISCUSS, label=_("Comment on a deliberation topic"), roles=(Role.GRID_WORKER, *_COMMUNITY)
    ),
    Permission(key=DISCUSS_OWN, label=_("Comment on a topic of one's community"), roles=(Role.RESIDENT,)),
    Permission(key=TAKE_PART_OWN, label=_("Vote and answer surveys"), roles=(Role.RESIDENT,)),
    Permission(
        key=MANAGE,
        label=_("Run deliberations, surveys, venture rounds, elections and report forms"),
        roles=(*_COMMUNITY, Role.STREET_STAFF),
    ),
    Permission(
        key=REVIEW,
        label=_("Review venture applications assigned to one"),
        roles=(*_COMMUNITY, Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    # What the dashboards show of co-governance: node-own values (governance.statistics), kept in
    # the summary tables and rolled up.
    DashboardMetric(
        key="governance.topics_open",
        name=_("Deliberation topics open"),
        name_en="Deliberation topics open",
        unit=_("topics (unit)"),
        per_node="governance.statistics.topics_open_per_node",
        sources=("governance.Topic",),
        compute="governance.statistics.topics_open",
    ),
    DashboardMetric(
        key="governance.vote_turnout",
        name=_("Turnout of closed deliberation votes (%)"),
        name_en="Turnout of closed deliberation votes",
        unit="%",
        aggregation="ratio",  # ballots cast over the electorate, each summed up the tree
        per_node="governance.statistics.vote_turnout_per_node",
        sources=("governance.Topic",),
        higher_is_better=True,
        decimals=1,
        compute="governance.statistics.vote_turnout",
    ),
    DashboardMetric(
        key="governance.surveys_open",
        name=_("Surveys open"),
        name_en="Surveys open",
        unit=_("surveys (unit)"),
        per_node="governance.statistics.surveys_open_per_node",
        sources=("governance.Survey",),
        compute="governance.statistics.surveys_open",
    ),
    DashboardMetric(
        key="governance.social_organizations",
        name=_("Social organizations"),
        name_en="Social organizations",
        unit=_("organizations (unit)"),
        per_node="governance.statistics.social_organizations_per_node",
        sources=("governance.SocialOrganization",),
        compute="governance.statistics.social_organizations",
    ),
    DashboardMetric(
        key="governance.venture_granted",
        name=_("Public-benefit venture funds granted"),
        name_en="Public-benefit venture funds granted",
        unit=_("yuan"),
        per_node="governance.statistics.venture_granted_per_node",
        sources=("governance.VentureApplication:round.region_path",),
        decimals=2,
        compute="governance.statistics.venture_granted",
    ),
    DashboardMetric(
        key="governance.report_fields_generated",
        name=_("Report fields generated instead of typed"),
        name_en="Report fields generated instead of typed",
        unit=_("fields (unit)"),
        per_node="governance.statistics.report_fields_generated_per_node",
        sources=("governance.FormReport",),
        compute="governance.statistics.report_fields_generated",
    ),
    DemoData(key="governance.demo", loader="governance.demo.seed_governance"),
]
