from safety.models.devices import CARE_KINDS, Alarm, Device, DeviceKind, DevicePlacement, Vendor

__all__ = ["CARE_KINDS", "Alarm", "Device", "DeviceKind", "DevicePlacement", "Vendor"]
