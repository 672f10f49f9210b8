"""Writes to residents: register, correct, move in, move out, death, tags.

A person is never deleted: moving out and death are states with dates. Identity and phone
values are validated and split into encrypted, blind-index and masked columns by identity.py,
the same rules the bulk import applies.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, field_error, invalid_fields
from core.registry.audit_changes import audit_write, diff, snapshot
from core.registry.errors import RegistryError
from core.registry.identity import (
    NAME_HOLDS_PERSONAL_DATA,
    check_birth_date,
    identity_columns,
    name_holds_personal_data,
    name_pinyin,
    phone_columns,
)
from core.registry.in_scope import get_in_scope
from core.registry.inputs import check_not_future, reject_unknown, today
from core.registry.models import House, Household, MembershipChange, Resident, ResidentTag
from core.registry.services_housing import CHANGE, GRID_ONLY, region_in_scope
from core.registry.services_tenancies import tenancy_follow
from core.registry.signals import resident_left

# What a worker may set on a resident through create/update; everything else (status, paths,
# created_by, the derived columns) changes only through its own service.
RESIDENT_INPUT_FIELDS = (
    "name",
    "document_type",
    "document_number",
    "birth_date",
    "sex",
    "ethnicity",
    "mobile",
    "landline",
    "residence_type",
    "household",
    "relation",
    "registered_address",
    "house",
    "region",
    "moved_in_on",
    "note",
)
IDENTITY_INPUTS = ("document_type", "document_number", "birth_date", "sex")
PLAIN_FIELDS = (
    "name",
    "ethnicity",
    "residence_type",
    "relation",
    "registered_address",
    "note",
    "moved_in_on",
)


def _check_unique_document(columns: dict, document_type: str, exclude_pk: int | None) -> None:
    index = columns.get("document_number_index")
    if not index:
        return
    taken = Resident.objects.filter(document_type=document_type, document_number_index=index)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise field_error(
            "document_number",
            _("A resident with this document number is already registered."),
            code=RegistryError.DOCUMENT_NUMBER_TAKEN,
        )


def resident_check(*, actor, data: dict[str, Any], instance: Resident | None = None) -> dict[str, Any]:
    """Validate a create (instance None) or a partial update; return the model values to set.

    Raises ValidationError with every field's message at once, so a form shows them together.
    """
    reject_unknown(data, RESIDENT_INPUT_FIELDS)
    errors: dict[str, list] = {}
    values: dict[str, Any] = {}

    def collect(error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)

    for field in PLAIN_FIELDS:
        if field in data:
            values[field] = (
                data[field] if data[field] is not None else ("" if field != "moved_in_on" else None)
            )
    if instance is None or "name" in data:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = [_("Enter the name.")]
        elif name_holds_personal_data(name):
            errors["name"] = [NAME_HOLDS_PERSONAL_DATA]
        else:
            values["name"] = name
            values["name_initials"], values["name_pinyin"] = name_pinyin(name)
    for field in ("residence_type", "relation", "sex", "document_type"):
        choices = {
            "residence_type": Resident.ResidenceType,
            "relation": Resident.Relation,
            "sex": Resident.Sex,
            "document_type": Resident.DocumentType,
        }[field]
        if data.get(field) and data[field] not in choices.values:
            errors[field] = [_("Choose one of the listed values.")]
    try:
        check_not_future("moved_in_on", data.get("moved_in_on"))
    except ValidationError as error:
        collect(error)

    if instance is None or any(f in data for f in IDENTITY_INPUTS):
        document_type = data.get("document_type") or (
            instance.document_type if instance else Resident.DocumentType.ID_CARD
        )
        number = data.get("document_number")
        if number is None and instance is not None and document_type == instance.document_type:
            number = instance.document_number_encrypted
        birth_date = data.get("birth_date", instance.birth_date if instance else None)
        sex = data.get("sex", instance.sex if instance else "")
        if document_type == Resident.DocumentType.ID_CARD and "birth_date" not in data:
            # An ID number carries birth date and sex: derive them afresh from the (new) number.
            birth_date, sex = None, ""
        if document_type in Resident.DocumentType.values:
            try:
                check_birth_date(birth_date, today())
                columns = identity_columns(document_type, number or "", birth_date, sex or "")
                _check_unique_document(columns, document_type, instance.pk if instance else None)
                values.update(columns, document_type=document_type)
            except ValidationError as error:
                collect(error)
    if "mobile" in data or "landline" in data or instance is None:
        mobile = data.get("mobile")
        landline = data.get("landline")
        if instance is not None:
            mobile = instance.mobile_encrypted if mobile is None else mobile
            landline = instance.landline_encrypted if landline is None else landline
        try:
            values.update(phone_columns(mobile or "", landline or ""))
        except ValidationError as error:
            collect(error)

    try:
        values.update(_placement(actor=actor, data=data, instance=instance))
    except ValidationError as error:
        collect(error)
    if errors:
        raise invalid_fields(errors)
    return values


def _placement(*, actor, data: dict, instance: Resident | None) -> dict[str, Any]:
    """House, household and grid: each in the caller's scope; the grid follows the house."""
    values: dict[str, Any] = {}
    house = instance.house if instance else None
    household = instance.household if instance else None
    if "house" in data:
        house = (
            None
            if data["house"] in (None, "")
            else get_in_scope(
                House.objects.all(), data["house"], actor=actor, permission=CHANGE, field="house"
            )
        )
        values["house"] = house
    if "household" in data:
        household = (
            None
            if data["household"] in (None, "")
            else get_in_scope(
                Household.objects.all(), data["household"], actor=actor, permission=CHANGE, field="household"
            )
        )
        values["household"] = household
    region = None
    if data.get("region") not in (None, ""):
        region = region_in_scope(data["region"], actor=actor, levels=GRID_ONLY)
    if house is not None and ("house" in data or region is not None):
        if region is not None and region.pk != house.region_id:
            raise field_error("region", _("The grid differs from the grid of the house."))
        region = house.region
    elif region is None and household is not None and "household" in data and instance is None:
        region = household.region
    if region is None and instance is None:
        raise field_error("region", _("Choose the resident's house or grid."))
    if region is not None:
        values["region"], values["region_path"] = region, region.path
    return values


def _membership(*, actor, household: Household, resident: Resident, kind: str, on: date, note: str = ""):
    return MembershipChange.objects.create(
        household=household, resident=resident, kind=kind, happened_on=on, note=note, actor=actor
    )


def _save_unique(resident: Resident) -> None:
    # The pre-check covers the common case; the constraint settles a race between two workers.
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as error:
        if "resident_unique_document" in str(error) or "document_number_index" in str(error):
            raise field_error(
                "document_number",
                _("A resident with this document number is already registered."),
                code=RegistryError.DOCUMENT_NUMBER_TAKEN,
            ) from None
        raise


@transaction.atomic
def resident_create(*, actor, data: dict[str, Any], request=None) -> Resident:
    values = resident_check(actor=actor, data=data)
    resident = Resident(created_by=actor if getattr(actor, "pk", None) else None)
    for name, value in values.items():
        setattr(resident, name, value)
    _save_unique(resident)
    if resident.household_id:
        _membership(
            actor=actor,
            household=resident.household,
            resident=resident,
            kind=MembershipChange.Kind.JOINED,
            on=resident.moved_in_on or today(),
        )
        if resident.relation == Resident.Relation.SELF and not resident.household.householder_id:
            Household.objects.filter(pk=resident.household_id).update(householder=resident)
    audit_write(
        actor=actor,
        action="registry.resident.create",
        target=resident,
        changes=diff({}, snapshot(resident)),
        request=request,
    )
    return resident


@transaction.atomic
def resident_update(*, actor, resident: Resident, data: dict[str, Any], request=None) -> Resident:
    values = resident_check(actor=actor, data=data, instance=resident)
    before = snapshot(resident)
    old_household = resident.household
    for name, value in values.items():
        setattr(resident, name, value)
    _save_unique(resident)
    if resident.household_id != (old_household.pk if old_household else None):
        on = today()
        if old_household is not None:
            _leave(actor=actor, household=old_household, resident=resident, on=on)
        if resident.household_id:
            _membership(
                actor=actor,
                household=resident.household,
                resident=resident,
                kind=MembershipChange.Kind.JOINED,
                on=on,
            )
    audit_write(
        actor=actor,
        action="registry.resident.update",
        target=resident,
        changes=diff(before, snapshot(resident)),
        request=request,
    )
    if "house" in values:
        tenancy_follow(actor=actor, resident=resident, on=today(), request=request)
    return resident


def _leave(*, actor, household: Household, resident: Resident, on: date, note: str = "") -> None:
    _membership(
        actor=actor, household=household, resident=resident, kind=MembershipChange.Kind.LEFT, on=on, note=note
    )
    if household.householder_id == resident.pk:
        Household.objects.filter(pk=household.pk).update(householder=None)


def _check_life_date(resident: Resident, field: str, on: date) -> None:
    check_not_future(field, on)
    if resident.birth_date and on < resident.birth_date:
        raise field_error(field, _("The date is before the resident's birth date."))


@transaction.atomic
def resident_move_in(
    *, actor, resident: Resident, house, moved_in_on: date, household=None, request=None
) -> Resident:
    """A resident moves into a house (a new one, or back after moving out)."""
    if resident.status == Resident.Status.DECEASED:
        raise Conflict(_("The resident is recorded as deceased."), code=RegistryError.RESIDENT_DECEASED)
    _check_life_date(resident, "moved_in_on", moved_in_on)
    data: dict[str, Any] = {"house": house}
    if household is not None:
        data["household"] = household
    values = _placement(actor=actor, data=data, instance=resident)
    before = snapshot(resident)
    old_household_id = resident.household_id
    for name, value in values.items():
        setattr(resident, name, value)
    resident.status = Resident.Status.ACTIVE
    resident.moved_in_on, resident.moved_out_on = moved_in_on, None
    resident.save()
    if resident.household_id:
        kind = (
            MembershipChange.Kind.MOVED_IN
            if resident.household_id == old_household_id
            else MembershipChange.Kind.JOINED
        )
        _membership(actor=actor, household=resident.household, resident=resident, kind=kind, on=moved_in_on)
    audit_write(
        actor=actor,
        action="registry.resident.move_in",
        target=resident,
        changes=diff(before, snapshot(resident)),
        request=request,
    )
    tenancy_follow(actor=actor, resident=resident, on=moved_in_on, request=request)
    return resident


@transaction.atomic
def resident_move_out(
    *, actor, resident: Resident, moved_out_on: date, note: str = "", request=None
) -> Resident:
    if resident.status != Resident.Status.ACTIVE:
        raise Conflict(_("Only a resident living here can move out."), code=RegistryError.RESIDENT_NOT_ACTIVE)
    _check_life_date(resident, "moved_out_on", moved_out_on)
    if resident.moved_in_on and moved_out_on < resident.moved_in_on:
        raise field_error("moved_out_on", _("The date is before the move-in date."))
    before = snapshot(resident)
    resident.status, resident.moved_out_on = Resident.Status.MOVED_OUT, moved_out_on
    resident.save(update_fields=["status", "moved_out_on", "updated_at"])
    if resident.household_id:
        _membership(
            actor=actor,
            household=resident.household,
            resident=resident,
            kind=MembershipChange.Kind.MOVED_OUT,
            on=moved_out_on,
            note=note,
        )
    _left(actor=actor, resident=resident, before=before, reason="moved_out", on=moved_out_on, request=request)
    return resident


@transaction.atomic
def resident_record_death(*, actor, resident: Resident, died_on: date, request=None) -> Resident:
    if resident.status == Resident.Status.DECEASED:
        raise Conflict(
            _("The resident is already recorded as deceased."), code=RegistryError.RESIDENT_DECEASED
        )
    _check_life_date(resident, "died_on", died_on)
    before = snapshot(resident)
    resident.status, resident.deceased_on = Resident.Status.DECEASED, died_on
    resident.save(update_fields=["status", "deceased_on", "updated_at"])
    # Assigned tags end with the person (care lists must not keep calling).
    ResidentTag.objects.filter(resident=resident, ended_on__isnull=True).update(ended_on=died_on)
    if resident.household_id:
        _membership(
            actor=actor,
            household=resident.household,
            resident=resident,
            kind=MembershipChange.Kind.DIED,
            on=died_on,
        )
        if resident.household.householder_id == resident.pk:
            Household.objects.filter(pk=resident.household_id).update(householder=None)
    _left(actor=actor, resident=resident, before=before, reason="died", on=died_on, request=request)
    return resident


_LEAVING_ACTIONS = {"moved_out": "registry.resident.move_out", "died": "registry.resident.death"}


def _left(*, actor, resident: Resident, before: dict, reason: str, on: date, request) -> None:
    """What follows a move-out or a death: the audit row, the tenancies, and the domains told
    (core.registry.signals.resident_left) inside the same transaction."""
    audit_write(
        actor=actor,
        action=_LEAVING_ACTIONS[reason],
        target=resident,
        changes=diff(before, snapshot(resident)),
        request=request,
    )
    tenancy_follow(actor=actor, resident=resident, on=on, request=request)
    resident_left.send(
        sender=Resident, resident=resident, household=resident.household, reason=reason, on=on, actor=actor
    )
