"""Writes to households (户) and transfers between communities.

Every change of a household's members is a MembershipChange row, so the household file can
show its history; a transfer is requested by the sending side and completed (or rejected) by
the receiving community or a supervisor of both.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.errors import NOT_FOUND_IN_PAYLOAD, Conflict, Forbidden, field_error
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.audit_changes import audit_write, diff, snapshot
from core.registry.errors import RegistryError
from core.registry.in_scope import get_in_scope
from core.registry.inputs import reject_unknown, today
from core.registry.models import House, Household, MembershipChange, Resident, Transfer
from core.registry.services_housing import CHANGE, GRID_ONLY, place, region_in_scope
from core.registry.services_tenancies import tenancy_follow

TRANSFER = "registry.transfer"


def _membership(*, actor, household, resident, kind, on, note=""):
    return MembershipChange.objects.create(
        household=household,
        resident=resident,
        kind=kind,
        happened_on=on,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def household_create(
    *, actor, house=None, region=None, number: str = "", registered_address: str = "", request=None
) -> Household:
    household = Household(number=number, registered_address=registered_address)
    if house not in (None, ""):
        household.house = get_in_scope(
            House.objects.all(), house, actor=actor, permission=CHANGE, field="house"
        )
        place(household, household.house.region)
    elif region not in (None, ""):
        place(household, region_in_scope(region, actor=actor, levels=GRID_ONLY))
    else:
        raise field_error("house", _("Choose the household's house or grid."))
    if number and Household.objects.filter(number=number).exists():
        raise field_error(
            "number",
            _("A household with this number already exists."),
            code=RegistryError.HOUSEHOLD_NUMBER_TAKEN,
        )
    household.save()
    audit_write(
        actor=actor,
        action="registry.household.create",
        target=household,
        changes=diff({}, snapshot(household)),
        request=request,
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, data: dict, request=None) -> Household:
    reject_unknown(data, {"number", "registered_address", "house"})
    before = snapshot(household)
    if "house" in data:
        house = get_in_scope(
            House.objects.all(), data.pop("house"), actor=actor, permission=CHANGE, field="house"
        )
        household.house = house
        place(household, house.region)
    for name, value in data.items():
        setattr(household, name, value)
    household.save()
    audit_write(
        actor=actor,
        action="registry.household.update",
        target=household,
        changes=diff(before, snapshot(household)),
        request=request,
    )
    return household


def _member(household: Household, resident, *, actor, field: str = "resident") -> Resident:
    resident = get_in_scope(Resident.objects.all(), resident, actor=actor, permission=CHANGE, field=field)
    if resident.household_id != household.pk:
        raise field_error(field, _("This resident is not a member of the household."))
    return resident


@transaction.atomic
def household_add_member(
    *, actor, household: Household, resident, relation: str, happened_on: date | None = None, request=None
) -> Resident:
    resident = get_in_scope(
        Resident.objects.all(), resident, actor=actor, permission=CHANGE, field="resident"
    )
    if relation not in Resident.Relation.values:
        raise field_error("relation", _("Choose one of the listed values."))
    if resident.status != Resident.Status.ACTIVE:
        raise Conflict(
            _("Only a resident living here can join a household."), code=RegistryError.RESIDENT_NOT_ACTIVE
        )
    if resident.household_id == household.pk:
        raise Conflict(
            _("The resident is already a member of this household."), code=RegistryError.ALREADY_MEMBER
        )
    if resident.household_id:
        raise Conflict(
            _("The resident belongs to another household; remove them from it first."),
            code=RegistryError.OTHER_HOUSEHOLD,
        )
    on = happened_on or today()
    resident.household, resident.relation = household, relation
    resident.save(update_fields=["household", "relation", "updated_at"])
    _membership(actor=actor, household=household, resident=resident, kind=MembershipChange.Kind.JOINED, on=on)
    if relation == Resident.Relation.SELF and not household.householder_id:
        household.householder = resident
        household.save(update_fields=["householder", "updated_at"])
    audit_write(
        actor=actor,
        action="registry.household.add_member",
        target=household,
        changes={
            "resident_id": {"old": None, "new": resident.pk},
            "relation": {"old": None, "new": relation},
        },
        request=request,
    )
    return resident


@transaction.atomic
def household_remove_member(
    *, actor, household: Household, resident, happened_on: date | None = None, note: str = "", request=None
) -> Resident:
    resident = _member(household, resident, actor=actor)
    on = happened_on or today()
    resident.household, resident.relation = None, Resident.Relation.OTHER
    resident.save(update_fields=["household", "relation", "updated_at"])
    _membership(
        actor=actor, household=household, resident=resident, kind=MembershipChange.Kind.LEFT, on=on, note=note
    )
    if household.householder_id == resident.pk:
        household.householder = None
        household.save(update_fields=["householder", "updated_at"])
    audit_write(
        actor=actor,
        action="registry.household.remove_member",
        target=household,
        changes={"resident_id": {"old": resident.pk, "new": None}},
        request=request,
    )
    return resident


@transaction.atomic
def household_set_householder(
    *, actor, household: Household, resident, happened_on: date | None = None, request=None
) -> Household:
    resident = _member(household, resident, actor=actor)
    if resident.status != Resident.Status.ACTIVE:
        raise Conflict(
            _("Only a resident living here can be the householder."), code=RegistryError.RESIDENT_NOT_ACTIVE
        )
    previous = household.householder_id
    if previous == resident.pk:
        return household
    # Relations are relative to the householder: the old one's becomes "other" for a worker to fix.
    if previous:
        Resident.objects.filter(pk=previous).update(relation=Resident.Relation.OTHER)
    resident.relation = Resident.Relation.SELF
    resident.save(update_fields=["relation", "updated_at"])
    household.householder = resident
    household.save(update_fields=["householder", "updated_at"])
    _membership(
        actor=actor,
        household=household,
        resident=resident,
        kind=MembershipChange.Kind.HOUSEHOLDER,
        on=happened_on or today(),
    )
    audit_write(
        actor=actor,
        action="registry.household.set_householder",
        target=household,
        changes={"householder_id": {"old": previous, "new": resident.pk}},
        request=request,
    )
    return household


# --- transfers -------------------------------------------------------------------------------


def _may_decide(actor, transfer: Transfer) -> bool:
    """The receiving community, or anyone above it (a common supervisor covers both sides)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    return scope_for(actor).covers(transfer.to_path, TRANSFER)


@transaction.atomic
def transfer_request(*, actor, resident, to_region, reason: str = "", request=None) -> Transfer:
    resident = get_in_scope(
        Resident.objects.all(), resident, actor=actor, permission=TRANSFER, field="resident"
    )
    if resident.status != Resident.Status.ACTIVE:
        raise Conflict(
            _("Only a resident living here can be transferred."), code=RegistryError.RESIDENT_NOT_ACTIVE
        )
    # The destination lies outside the sender's area by nature: any current grid may be named.
    try:
        grid = Region.objects.get(pk=getattr(to_region, "pk", to_region), merged_into__isnull=True)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise field_error("to_region", NOT_FOUND_IN_PAYLOAD) from None
    if grid.level != Region.Level.GRID:
        raise field_error("to_region", _("Choose a grid."))
    if grid.pk == resident.region_id:
        raise field_error("to_region", _("The resident already lives in this grid."))
    if Transfer.objects.open().filter(resident=resident).exists():
        raise Conflict(_("The resident already has an open transfer."), code=RegistryError.TRANSFER_OPEN)
    transfer = Transfer.objects.create(
        resident=resident,
        from_region_id=resident.region_id,
        from_path=resident.region_path,
        to_region=grid,
        to_path=grid.path,
        reason=reason,
        requested_by=actor,
    )
    audit_write(
        actor=actor,
        action="registry.transfer.request",
        target=resident,
        changes={"to_region_id": {"old": None, "new": grid.pk}},
        request=request,
    )
    return transfer


def _open_transfer(transfer: Transfer) -> Transfer:
    transfer = Transfer.objects.select_for_update().select_related("resident").get(pk=transfer.pk)
    if transfer.status != Transfer.Status.REQUESTED:
        raise Conflict(_("This transfer has already been decided."), code=RegistryError.TRANSFER_DECIDED)
    return transfer


@transaction.atomic
def transfer_complete(*, actor, transfer: Transfer, house=None, request=None) -> Transfer:
    transfer = _open_transfer(transfer)
    if not _may_decide(actor, transfer):
        raise Forbidden(_("Only the receiving community or a common supervisor can complete a transfer."))
    new_house = None
    if house not in (None, ""):
        new_house = get_in_scope(House.objects.all(), house, actor=actor, permission=TRANSFER, field="house")
        if new_house.region_id != transfer.to_region_id:
            raise field_error("house", _("The house is not in the destination grid."))
    resident = transfer.resident
    on = today()
    if resident.household_id:
        household = resident.household
        _membership(
            actor=actor,
            household=household,
            resident=resident,
            kind=MembershipChange.Kind.TRANSFERRED,
            on=on,
            note=str(transfer.to_region),
        )
        if household.householder_id == resident.pk:
            Household.objects.filter(pk=household.pk).update(householder=None)
    before = snapshot(resident)
    resident.region_id, resident.region_path = transfer.to_region_id, transfer.to_path
    resident.house, resident.household, resident.relation = new_house, None, Resident.Relation.OTHER
    resident.moved_in_on = on
    resident.save()
    transfer.status, transfer.decided_by, transfer.decided_at = (
        Transfer.Status.COMPLETED,
        actor,
        timezone.now(),
    )
    transfer.to_house = new_house
    transfer.save()
    audit_write(
        actor=actor,
        action="registry.transfer.complete",
        target=resident,
        changes=diff(before, snapshot(resident)),
        request=request,
    )
    tenancy_follow(actor=actor, resident=resident, on=on, request=request)
    return transfer


@transaction.atomic
def transfer_reject(*, actor, transfer: Transfer, note: str = "", request=None) -> Transfer:
    transfer = _open_transfer(transfer)
    if not _may_decide(actor, transfer):
        raise Forbidden(_("Only the receiving community or a common supervisor can reject a transfer."))
    transfer.status, transfer.decided_by, transfer.decided_at = (
        Transfer.Status.REJECTED,
        actor,
        timezone.now(),
    )
    transfer.decision_note = note
    transfer.save()
    audit_write(
        actor=actor,
        action="registry.transfer.reject",
        target=transfer.resident,
        changes={"status": {"old": Transfer.Status.REQUESTED, "new": Transfer.Status.REJECTED}},
        request=request,
    )
    return transfer
