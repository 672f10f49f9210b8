"""The device register and what devices say: vendors, devices bound to a house, their moves
(history kept), and alarms coalesced per device into one event."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class Vendor(models.Model):
    """A device vendor (a catalogue with no place): its devices post signed readings."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    def __str__(self) -> str:
        return self.name


class DeviceKind(models.TextChoices):
    SMOKE = "smoke", _("Smoke detector")
    GAS = "gas", _("Gas detector")
    DOOR = "door", _("Door sensor")
    EMERGENCY_BUTTON = "emergency_button", _("Emergency button")
    WATER_METER = "water_meter", _("Water meter")
    ACCESS_CONTROL = "access_control", _("Access control")


# Kinds that are a sign of life of an elderly person living alone: what they say about that
# person goes through the care-signals hand-off, not straight to an event.
CARE_KINDS = frozenset({DeviceKind.EMERGENCY_BUTTON, DeviceKind.WATER_METER, DeviceKind.DOOR})


class Device(Placed):
    """A device installed in a house (its region is the house's grid). The secret signs what it
    posts (HMAC-SHA256); it is encrypted at rest and never shown after registration."""

    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="devices")
    house = models.ForeignKey("registry.House", on_delete=models.PROTECT, related_name="+")
    # The elderly person whose sign of life it is (care kinds), if any.
    care_resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secret = EncryptedTextField(_("secret"))
    heartbeat_minutes = models.PositiveIntegerField(_("heartbeat interval (minutes)"), default=60)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    # When the device counts as offline if nothing comes (last seen + two intervals); the periodic
    # check compares this one indexed column with now.
    offline_after = models.DateTimeField(null=True, blank=True, db_index=True)
    offline_since = models.DateTimeField(_("offline since"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("safety_device")]

    def __str__(self) -> str:
        return self.serial


class DevicePlacement(Placed):
    """Where a device was, from when to when: a move ends one and starts another, so alarms
    keep the house they came from."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="placements")
    house = models.ForeignKey("registry.House", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    on_region_move = KeepsRegion("where a device was installed is a record of the past")

    class Meta:
        indexes = [path_index("safety_placement")]


class Alarm(Placed):
    """Repeated alarms of one device within the window: one row, one event (or care signal)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="alarms")
    house = models.ForeignKey("registry.House", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("last"))
    count = models.PositiveIntegerField(_("count"), default=1)
    event = models.ForeignKey(
        "workflow.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    care_signal = models.BooleanField(default=False)

    on_region_move = KeepsRegion("an alarm is a record of where it happened")

    class Meta:
        indexes = [
            path_index("safety_alarm"),
            models.Index(fields=["device", "-last_at"], name="safety_alarm_device_idx"),
        ]
