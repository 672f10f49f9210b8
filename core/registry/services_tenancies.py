"""Writes to tenancies: a tenant living in a rented house, linked to the house and its owner.

Starting a tenancy makes the rented house the tenant's actual residence (their grid follows the
house) and the house "rented". The house stays rented while any tenancy of it is current; when
the last one ends, its occupancy is derived from who still lives there: self-occupied if an
active resident's actual residence is the house (the owner, or family), vacant otherwise. The
state before the letting is not stored, because who lives there now is the better witness.

A tenant lives in one rented house at a time. A tenancy also ends by itself when its tenant no
longer lives in the house: moved out, died, moved elsewhere or transferred (`tenancy_follow`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, field_error
from core.registry.audit_changes import audit_write, diff, snapshot
from core.registry.errors import RegistryError
from core.registry.in_scope import get_in_scope
from core.registry.inputs import check_not_future, today
from core.registry.models import House, Resident, Tenancy
from core.registry.services_housing import CHANGE, place

VIEW = "registry.view"
ALREADY_RENTING = _("The resident already rents a house: end that tenancy first.")


def _prefixed(prefix: str, changes: dict) -> dict:
    return {f"{prefix}.{name}": change for name, change in changes.items()}


def _owner(value: Any, *, actor, house: House, tenant: Resident) -> Resident | None:
    # The owner may live elsewhere; seeing their record is enough to name them.
    owner = (
        house.owner
        if value in (None, "")
        else get_in_scope(Resident.objects.all(), value, actor=actor, permission=VIEW, field="owner")
    )
    if owner is not None and owner.pk == tenant.pk:
        raise field_error("resident", _("The resident owns this house and cannot rent it."))
    return owner


def _occupancy_without_tenants(house: House) -> str:
    if Resident.objects.active().filter(house=house).exists():
        return House.Occupancy.SELF_OCCUPIED
    return House.Occupancy.VACANT


def _set_occupancy(house: House, occupancy: str) -> dict:
    if house.occupancy == occupancy:
        return {}
    change = {"house.occupancy": {"old": house.occupancy, "new": occupancy}}
    house.occupancy = occupancy
    house.save(update_fields=["occupancy", "updated_at"])
    return change


@transaction.atomic
def tenancy_start(
    *, actor, resident: Any, house: Any, starts_on: date, owner: Any = None, request=None
) -> Tenancy:
    """The resident rents the house from `starts_on` (the owner defaults to the house's owner)."""
    resident = get_in_scope(
        Resident.objects.all(), resident, actor=actor, permission=CHANGE, field="resident"
    )
    house = get_in_scope(House.objects.all(), house, actor=actor, permission=CHANGE, field="house")
    # One writer per house at a time, so that occupancy follows the last committed tenancy.
    house = House.objects.select_for_update().select_related("region").get(pk=house.pk)
    check_not_future("starts_on", starts_on)
    if resident.birth_date and starts_on < resident.birth_date:
        raise field_error("starts_on", _("The date is before the resident's birth date."))
    owner = _owner(owner, actor=actor, house=house, tenant=resident)
    if resident.status != Resident.Status.ACTIVE:
        raise Conflict(
            _("Only a resident living here can rent a house."), code=RegistryError.RESIDENT_NOT_ACTIVE
        )
    if Tenancy.objects.current().filter(resident=resident).exists():
        raise Conflict(ALREADY_RENTING, code=RegistryError.TENANCY_CURRENT)
    tenancy = Tenancy(resident=resident, house=house, owner=owner, starts_on=starts_on)
    try:
        with transaction.atomic():
            tenancy.save()
    except IntegrityError:
        # Another worker started one for the same tenant a moment ago (the constraint decides).
        raise Conflict(ALREADY_RENTING, code=RegistryError.TENANCY_CURRENT) from None
    before = snapshot(resident)
    resident.house = house
    place(resident, house.region)
    resident.save(update_fields=["house", "region", "region_path", "updated_at"])
    changes = {
        **diff({}, snapshot(tenancy)),
        **_prefixed("resident", diff(before, snapshot(resident))),
        **_set_occupancy(house, House.Occupancy.RENTED),
    }
    audit_write(
        actor=actor, action="registry.tenancy.start", target=tenancy, changes=changes, request=request
    )
    return tenancy


def _close(*, actor, tenancy: Tenancy, ends_on: date, leaves_house: bool, request=None) -> Tenancy:
    check_not_future("ends_on", ends_on)
    if ends_on < tenancy.starts_on:
        raise field_error("ends_on", _("The end date is before the start date."))
    house = House.objects.select_for_update().get(pk=tenancy.house_id)
    tenancy.ends_on = ends_on
    tenancy.save(update_fields=["ends_on"])
    changes = {"ends_on": {"old": None, "new": str(ends_on)}}
    tenant = tenancy.resident
    if leaves_house and tenant.house_id == house.pk:
        # Where the tenant went is not known here: a move-in or move-out records it.
        tenant.house = None
        tenant.save(update_fields=["house", "updated_at"])
        changes["resident.house_id"] = {"old": house.pk, "new": None}
    if not Tenancy.objects.current().filter(house=house).exists():
        changes.update(_set_occupancy(house, _occupancy_without_tenants(house)))
    audit_write(actor=actor, action="registry.tenancy.end", target=tenancy, changes=changes, request=request)
    return tenancy


@transaction.atomic
def tenancy_end(*, actor, tenancy: Tenancy, ends_on: date | None = None, request=None) -> Tenancy:
    """The tenant leaves the rented house on `ends_on` (today by default)."""
    if tenancy.ends_on is not None:
        raise Conflict(_("This tenancy has already ended."), code=RegistryError.TENANCY_ENDED)
    return _close(
        actor=actor, tenancy=tenancy, ends_on=ends_on or today(), leaves_house=True, request=request
    )


def tenancy_follow(*, actor, resident: Resident, on: date, request=None) -> None:
    """End the resident's current tenancy if they no longer live in its house (called by the
    services that move a resident: move in, move out, death, transfer, update)."""
    current = Tenancy.objects.current().filter(resident=resident).first()
    if current is None:
        return
    current.resident = resident
    if resident.status == Resident.Status.ACTIVE and resident.house_id == current.house_id:
        return
    _close(
        actor=actor, tenancy=current, ends_on=max(on, current.starts_on), leaves_house=False, request=request
    )
