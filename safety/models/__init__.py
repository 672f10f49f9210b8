from safety.models.care import CareContact, CareRecipient, KeyPerson, KeyPersonVisit
from safety.models.devices import CARE_KINDS, Alarm, Device, DeviceKind, DevicePlacement, Vendor
from safety.models.emergency import Drill, EmergencyPlan, EmergencyResource, Incident, IncidentReceipt
from safety.models.inspections import (
    ChecklistItem,
    Finding,
    HazardKind,
    InspectionRound,
    PlaceKind,
    Severity,
)
from safety.models.patrols import (
    EXTREME_WEATHER,
    CheckIn,
    PatrolKind,
    PatrolPoint,
    PatrolRoute,
    PatrolShift,
    RoughSleeper,
    RoughSleeperHelp,
)

__all__ = [
    "CARE_KINDS",
    "EXTREME_WEATHER",
    "Alarm",
    "CareContact",
    "CareRecipient",
    "CheckIn",
    "ChecklistItem",
    "Device",
    "DeviceKind",
    "DevicePlacement",
    "Drill",
    "EmergencyPlan",
    "EmergencyResource",
    "Finding",
    "HazardKind",
    "Incident",
    "IncidentReceipt",
    "InspectionRound",
    "KeyPerson",
    "KeyPersonVisit",
    "PatrolKind",
    "PatrolPoint",
    "PatrolRoute",
    "PatrolShift",
    "PlaceKind",
    "RoughSleeper",
    "RoughSleeperHelp",
    "Severity",
    "Vendor",
]
