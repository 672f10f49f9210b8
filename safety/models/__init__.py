from safety.models.devices import CARE_KINDS, Alarm, Device, DeviceKind, DevicePlacement, Vendor
from safety.models.inspections import (
    ChecklistItem,
    Finding,
    HazardKind,
    InspectionRound,
    PlaceKind,
    Severity,
)

__all__ = [
    "CARE_KINDS",
    "Alarm",
    "ChecklistItem",
    "Device",
    "DeviceKind",
    "DevicePlacement",
    "Finding",
    "HazardKind",
    "InspectionRound",
    "PlaceKind",
    "Severity",
    "Vendor",
]
