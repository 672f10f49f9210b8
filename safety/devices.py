"""Writes of the device register: register a device in a house (its secret made here, shown
once), move it to another house (its placements keep the history), retire it."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from safety.errors import SafetyError
from safety.models import Device, DevicePlacement, Vendor

MANAGE = "safety.manage_devices"


def _house_for(actor, house_id: int):
    from core.registry.models import House

    house = House.objects.visible_to(actor, MANAGE).select_related("region").filter(pk=house_id).first()
    if house is None:
        raise not_found_in_payload("house")
    return house


def device_register(
    *,
    actor,
    serial: str,
    kind: str,
    vendor: str,
    house: int,
    care_resident: int | None = None,
    heartbeat_minutes: int = 60,
    request=None,
) -> Device:
    """A new device; `device.issued_secret` holds its secret, readable this once."""
    place = _house_for(actor, house)
    maker = Vendor.objects.filter(code=vendor).first()
    if maker is None:
        raise not_found_in_payload("vendor")
    if Device.objects.filter(serial=serial).exists():
        raise field_error(
            "serial", _("A device with this serial number is registered."), code=SafetyError.SERIAL_TAKEN
        )
    resident_id = None
    if care_resident is not None:
        from core.registry.models import Resident

        resident_id = (
            Resident.objects.visible_to(actor, MANAGE)
            .filter(pk=care_resident)
            .values_list("pk", flat=True)
            .first()
        )
        if resident_id is None:
            raise not_found_in_payload("care_resident")
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        device = Device.objects.create(
            serial=serial,
            kind=kind,
            vendor=maker,
            house=place,
            care_resident_id=resident_id,
            secret=secret,
            heartbeat_minutes=heartbeat_minutes,
            region=place.region,
            region_path=place.region_path,
            offline_after=now + timezone.timedelta(minutes=2 * heartbeat_minutes),
        )
        DevicePlacement.objects.create(
            device=device, house=place, region=place.region, region_path=place.region_path, started_at=now
        )
        audit_record(
            actor=actor,
            action="safety.device.register",
            target=device,
            request=request,
            changes=created(serial=serial, kind=kind, vendor=vendor, house=place.pk),
        )
    device.issued_secret = secret
    return device


def device_move(*, actor, device: Device, house: int, request=None) -> Device:
    """Move a device to another house: the old placement ends, alarms keep their house."""
    if device.retired_at is not None:
        raise Conflict(_("The device is retired."), code=SafetyError.DEVICE_RETIRED)
    place = _house_for(actor, house)
    if place.pk == device.house_id:
        raise field_error("house", _("The device is already in this house."), code=SafetyError.SAME_HOUSE)
    now = timezone.now()
    with transaction.atomic():
        old = device.house_id
        DevicePlacement.objects.filter(device=device, ended_at__isnull=True).update(ended_at=now)
        DevicePlacement.objects.create(
            device=device, house=place, region=place.region, region_path=place.region_path, started_at=now
        )
        device.house, device.region, device.region_path = place, place.region, place.region_path
        device.save(update_fields=["house", "region", "region_path", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.device.move",
            target=device,
            request=request,
            changes={"house": {"old": old, "new": place.pk}},
        )
    return device


def device_retire(*, actor, device: Device, request=None) -> Device:
    if device.retired_at is not None:
        raise Conflict(_("The device is retired."), code=SafetyError.DEVICE_RETIRED)
    now = timezone.now()
    with transaction.atomic():
        device.retired_at = now
        device.save(update_fields=["retired_at", "updated_at"])
        DevicePlacement.objects.filter(device=device, ended_at__isnull=True).update(ended_at=now)
        audit_record(
            actor=actor,
            action="safety.device.retire",
            target=device,
            request=request,
            changes={"retired_at": {"old": None, "new": now}},
        )
    return device
