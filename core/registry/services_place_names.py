"""Writes to the place-name register (地名): create, change, propose and approve a standard name,
record former names and aliases.

The office's practice (docs/place-names.md):
- a name becomes standard, or its standard name changes, only when a second person approves it:
  one worker's change is a proposal (`proposed_*`), and until it is approved the name stays as it
  was; the proposer never approves their own proposal;
- a standard name has a standard name (never empty);
- one region node has no two places of the same name (name in use or standard name);
- a name replaced (the standard name on approval, the name in use on a change) is kept as a
  former name with its dates, so a search by the old name still finds the place;
- the national place-name database code (国家地名信息库) is digits, starts with a division code,
  and belongs to one place only.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, Forbidden, field_error
from core.registry.audit_changes import audit_write, diff, snapshot
from core.registry.errors import RegistryError
from core.registry.in_scope import scoped
from core.registry.inputs import check_not_future, reject_unknown, today
from core.registry.models import PlaceName, PlaceNameAlias
from core.registry.services_housing import STREET_OR_BELOW, place, region_in_scope

APPROVE = "registry.approve_place_names"
PLACE_NAME_FIELDS = ("kind", "name", "standard_name", "status", "note", "national_code")
ALIAS_FIELDS = ("name", "kind", "used_from", "used_to", "note")
STANDARD = PlaceName.Status.STANDARD
# Digits only: a 6-digit administrative division code (GB/T 2260, province part 11–82) followed
# by what the national database adds (township and village codes, category, serial number).
NATIONAL_CODE = re.compile(r"^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|7[1]|8[1-2])\d{4}\d{6,18}$")


# --- checks ----------------------------------------------------------------------------------


def _check_national_code(place_name: PlaceName) -> None:
    code = place_name.national_code = (place_name.national_code or "").strip()
    if not code:
        return
    if not NATIONAL_CODE.match(code):
        raise field_error(
            "national_code",
            _(
                "A national place-name database code is 12 to 24 digits beginning with an "
                "administrative division code."
            ),
            code=RegistryError.NATIONAL_CODE_INVALID,
        )
    if PlaceName.objects.filter(national_code=code).exclude(pk=place_name.pk).exists():
        raise Conflict(
            _("Another place already has this national place-name database code."),
            code=RegistryError.NATIONAL_CODE_TAKEN,
            fields={"national_code": [_("This code is taken.")]},
        )


def _check_unique_in_region(place_name: PlaceName, *names: tuple[str, str]) -> None:
    """409 if another place at the same node is called any of `names` ((field, name) pairs)."""
    others = PlaceName.objects.filter(region_id=place_name.region_id).exclude(pk=place_name.pk)
    for field, name in names:
        if name and others.filter(Q(name=name) | Q(standard_name=name)).exists():
            raise Conflict(
                _("Another place in this region already has this name."),
                code=RegistryError.PLACE_NAME_TAKEN,
                fields={field: [_("This name is taken in this region.")]},
            )


def _require_standard_name(standard_name: str, field: str = "standard_name") -> None:
    if not (standard_name or "").strip():
        raise field_error(
            field,
            _("A standard place name needs its standard name."),
            code=RegistryError.STANDARD_NAME_REQUIRED,
        )


def _save(place_name: PlaceName) -> None:
    """Save, the database's uniqueness answering like the checks when two writes race."""
    place_name.full_clean(exclude=["region", "region_path", "proposed_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            place_name.save()
    except IntegrityError:
        raise Conflict(
            _("Another place in this region already has this name."), code=RegistryError.PLACE_NAME_TAKEN
        ) from None


def place_name_check(*, place_name: PlaceName, status: str, standard_name: str) -> None:
    """The refusals a write of these values would meet (for a form that shows them next to its
    fields, such as the admin's): code format and uniqueness, a name taken in the region, and a
    standard name that is missing or taken."""
    _check_national_code(place_name)
    _check_unique_in_region(place_name, ("name", place_name.name), ("standard_name", standard_name))
    if status == STANDARD:
        _require_standard_name(standard_name)


def _record_former(place_name: PlaceName, name: str, *, used_from: date | None, actor, note="") -> None:
    if (
        not name
        or place_name.aliases.filter(kind=PlaceNameAlias.Kind.FORMER, name=name, used_to=today()).exists()
    ):
        return
    PlaceNameAlias.objects.create(
        place_name=place_name,
        name=name,
        kind=PlaceNameAlias.Kind.FORMER,
        used_from=used_from,
        used_to=today(),
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _propose(place_name: PlaceName, *, actor, status: str, standard_name: str) -> None:
    if place_name.has_proposal:
        raise Conflict(
            _("This place name already has a proposal waiting for approval."),
            code=RegistryError.PLACE_NAME_PROPOSAL_OPEN,
        )
    _require_standard_name(standard_name)
    _check_unique_in_region(place_name, ("standard_name", standard_name))
    place_name.proposed_status = status
    place_name.proposed_standard_name = standard_name
    place_name.proposed_by = actor if getattr(actor, "pk", None) else None
    place_name.proposed_at = timezone.now()


def _clear_proposal(place_name: PlaceName) -> None:
    place_name.proposed_status, place_name.proposed_standard_name = "", ""
    place_name.proposed_by, place_name.proposed_at = None, None


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def place_name_create(*, actor, region, request=None, **data) -> PlaceName:
    """A new place name. Asked for as standard, it is recorded under review (`pending`) with a
    proposal that another person approves; otherwise as given (under review by default)."""
    reject_unknown(data, PLACE_NAME_FIELDS)
    node = region_in_scope(region, actor=actor, levels=STREET_OR_BELOW)
    status = data.pop("status", PlaceName.Status.PENDING)
    standard_name = (data.pop("standard_name", "") or "").strip()
    obj = PlaceName(status=status, **data)
    place(obj, node)
    _check_national_code(obj)
    _check_unique_in_region(obj, ("name", obj.name), ("standard_name", standard_name))
    if status == STANDARD:
        obj.status = PlaceName.Status.PENDING
        _propose(obj, actor=actor, status=STANDARD, standard_name=standard_name)
    else:
        obj.standard_name = standard_name
    _save(obj)
    audit_write(
        actor=actor,
        action="registry.place_name.create",
        target=obj,
        changes=diff({}, snapshot(obj)),
        request=request,
    )
    return obj


@transaction.atomic
def place_name_update(*, actor, place_name: PlaceName, data: dict, request=None) -> PlaceName:
    """Change a place name. Making it standard, or changing the standard name, is a proposal
    (audited as `propose`); the other fields change at once (a renamed name in use is kept as a
    former name)."""
    reject_unknown(data, (*PLACE_NAME_FIELDS, "region"))
    place_name = PlaceName.objects.select_for_update().get(pk=place_name.pk)
    before = snapshot(place_name)
    if "region" in data:
        place(place_name, region_in_scope(data.pop("region"), actor=actor, levels=STREET_OR_BELOW))
    status = data.pop("status", place_name.status)
    standard_name = (data.pop("standard_name", place_name.standard_name) or "").strip()
    old_name = place_name.name
    for name, value in data.items():
        setattr(place_name, name, value)
    _check_national_code(place_name)
    _check_unique_in_region(place_name, ("name", place_name.name))
    proposing = (status == STANDARD and place_name.status != STANDARD) or (
        standard_name != place_name.standard_name and (status == STANDARD or place_name.status == STANDARD)
    )
    if proposing:
        _propose(place_name, actor=actor, status=STANDARD, standard_name=standard_name)
    else:
        # Away from standard (or a non-standard name's target spelling): no approval needed.
        place_name.status, place_name.standard_name = status, standard_name
        _check_unique_in_region(place_name, ("standard_name", standard_name))
    if place_name.name != old_name:
        _record_former(place_name, old_name, used_from=None, actor=actor)
    _save(place_name)
    audit_write(
        actor=actor,
        action="registry.place_name.propose" if proposing else "registry.place_name.update",
        target=place_name,
        changes=diff(before, snapshot(place_name)),
        request=request,
    )
    return place_name


def _decidable(place_name: PlaceName, *, actor) -> PlaceName:
    place_name = PlaceName.objects.select_for_update().get(pk=place_name.pk)
    if actor is not None and not scoped(PlaceName.objects.filter(pk=place_name.pk), actor, APPROVE).exists():
        raise Forbidden(_("You may not approve place names here."))
    if not place_name.has_proposal:
        raise Conflict(
            _("This place name has no proposal waiting for approval."),
            code=RegistryError.PLACE_NAME_NO_PROPOSAL,
        )
    if actor is not None and place_name.proposed_by_id == actor.pk:
        raise Forbidden(
            _("A proposal is approved or rejected by another person than the one who made it."),
            code=RegistryError.PLACE_NAME_OWN_PROPOSAL,
        )
    return place_name


@transaction.atomic
def place_name_approve(*, actor, place_name: PlaceName, request=None) -> PlaceName:
    """A second person approves the open proposal: the name becomes standard under the proposed
    standard name; a standard name it replaces becomes a former name, in use until today."""
    place_name = _decidable(place_name, actor=actor)
    before = snapshot(place_name)
    new_standard = place_name.proposed_standard_name
    _require_standard_name(new_standard)
    _check_unique_in_region(place_name, ("standard_name", new_standard))
    old_standard = place_name.standard_name if place_name.status == STANDARD else ""
    if old_standard and old_standard != new_standard:
        _record_former(place_name, old_standard, used_from=place_name.standard_since, actor=actor)
    if old_standard != new_standard:
        place_name.standard_since = today()
    place_name.status, place_name.standard_name = place_name.proposed_status or STANDARD, new_standard
    _clear_proposal(place_name)
    _save(place_name)
    audit_write(
        actor=actor,
        action="registry.place_name.approve",
        target=place_name,
        changes=diff(before, snapshot(place_name)),
        request=request,
    )
    return place_name


@transaction.atomic
def place_name_reject(*, actor, place_name: PlaceName, reason: str, request=None) -> PlaceName:
    """A second person rejects the open proposal, saying why; the name stays as it was."""
    place_name = _decidable(place_name, actor=actor)
    if not (reason or "").strip():
        raise field_error("reason", _("Say why the proposal is rejected."))
    before = snapshot(place_name)
    _clear_proposal(place_name)
    _save(place_name)
    audit_write(
        actor=actor,
        action="registry.place_name.reject",
        target=place_name,
        changes=diff(before, snapshot(place_name)),
        request=request,
        extra={"reason": reason.strip()},
    )
    return place_name


@transaction.atomic
def place_name_add_alias(*, actor, place_name: PlaceName, request=None, **data) -> PlaceNameAlias:
    """Record a former name or an alias a worker knows of, with the dates it was in use."""
    reject_unknown(data, ALIAS_FIELDS)
    alias = PlaceNameAlias(place_name=place_name, **data)
    alias.name = (alias.name or "").strip()
    if not alias.name:
        raise field_error("name", _("Enter the name."))
    check_not_future("used_from", alias.used_from)
    check_not_future("used_to", alias.used_to)
    if alias.used_from and alias.used_to and alias.used_to < alias.used_from:
        raise field_error("used_to", _("The end of use is before its start."))
    alias.recorded_by = actor if getattr(actor, "pk", None) else None
    alias.full_clean(exclude=["place_name", "recorded_by"])
    alias.save()
    audit_write(
        actor=actor,
        action="registry.place_name.add_alias",
        target=place_name,
        changes={
            "alias": {"old": None, "new": alias.name},
            "alias_kind": {"old": None, "new": alias.kind},
        },
        request=request,
    )
    return alias
