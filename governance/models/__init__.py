"""The tables of co-governance (社区共治), one module per subject."""

from governance.models.burden import FormField, FormReport, UpstreamForm
from governance.models.cobuilding import CoBuildingUnit, Need, UnitResource
from governance.models.deliberation import (
    Ballot,
    Meeting,
    MeetingAttendance,
    Topic,
    TopicComment,
    TopicFollower,
    TopicFollowUp,
    VoteParticipation,
)
from governance.models.elections import (
    BoxCount,
    Candidate,
    Election,
    ElectionRules,
    Proxy,
    RollEntry,
    RollObjection,
)
from governance.models.organizations import (
    Milestone,
    OrganizationReport,
    ReviewAssignment,
    SocialOrganization,
    VentureApplication,
    VentureRound,
)
from governance.models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

__all__ = [
    "Ballot",
    "BoxCount",
    "Candidate",
    "CoBuildingUnit",
    "Election",
    "ElectionRules",
    "FormField",
    "FormReport",
    "Meeting",
    "MeetingAttendance",
    "Milestone",
    "Need",
    "OrganizationReport",
    "Proxy",
    "ReviewAssignment",
    "RollEntry",
    "RollObjection",
    "SocialOrganization",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "Topic",
    "TopicComment",
    "TopicFollowUp",
    "TopicFollower",
    "UnitResource",
    "UpstreamForm",
    "VentureApplication",
    "VentureRound",
    "VoteParticipation",
]
