from affairs.models.applications import Application, ApplicationMember, Objection
from affairs.models.benefits import Benefit
from affairs.models.catalogue import RequiredMaterial, ServiceItem
from affairs.models.standards import AssistanceStandard

__all__ = [
    "Application",
    "ApplicationMember",
    "AssistanceStandard",
    "Benefit",
    "Objection",
    "RequiredMaterial",
    "ServiceItem",
]
