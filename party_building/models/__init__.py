from party_building.models.dues import DuesAmount, DuesPayment
from party_building.models.life import Attendance, Meeting, MeetingFrequency, MinutesAttachment
from party_building.models.members import Member, Transfer
from party_building.models.organizations import Ballot, Candidate, Election, Officer, Organization
from party_building.models.service import InServiceReport, PioneerPost, PostAssignment, ServiceRecord

__all__ = [
    "Attendance",
    "Ballot",
    "Candidate",
    "DuesAmount",
    "DuesPayment",
    "Election",
    "InServiceReport",
    "Meeting",
    "MeetingFrequency",
    "Member",
    "MinutesAttachment",
    "Officer",
    "Organization",
    "PioneerPost",
    "PostAssignment",
    "ServiceRecord",
    "Transfer",
]
