"""Assistance standards kept by the districts: adding a district's own and ending one.

A standard is never edited. An application records the standard it was checked against (its id
and amount in `eligibility`), and a benefit keeps the amount decided then; a changed amount on the
same row would rewrite what those readings refer to and make the history of a district's
standards unknowable. A new amount is therefore a new row with its own `effective_from`: from
that date it takes precedence (the newest in force wins, affairs.eligibility.standards), and the
old row may be ended with `effective_to`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.errors import AffairsError
from affairs.models import AssistanceStandard
from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.scoping import scope_for

CONFIGURE = "affairs.configure"


def configurable_district(user, region_id) -> Region:
    """A district the caller configures (affairs.configure over it); 400 as if absent otherwise."""
    region = Region.objects.filter(pk=region_id, level=Region.Level.DISTRICT).first()
    if region is None or not scope_for(user).covers(region.path, CONFIGURE):
        raise not_found_in_payload("region")
    return region


def check_standard_configurable(user, standard: AssistanceStandard) -> None:
    """Only a district's own standards change, by who configures that district (403 otherwise;
    a default row is the platform's own)."""
    if standard.region is None or not scope_for(user).covers(standard.region.path, CONFIGURE):
        raise Forbidden(_("Only the district's own standards can be changed here."))


def standard_district(actor, region_id: int | None) -> Region | None:
    """Where a new standard applies: a district the actor configures; a superuser configuring the
    platform in the admin may name any district, or none for the platform's default."""
    if not getattr(actor, "is_superuser", False):
        return configurable_district(actor, region_id)
    if region_id is None:
        return None
    region = Region.objects.filter(pk=region_id, level=Region.Level.DISTRICT).first()
    if region is None:
        raise not_found_in_payload("region")
    return region


def check_start_free(district: Region | None, *, kind: str, area: str, effective_from: date) -> None:
    """409 `standard_exists` if a standard of this kind and area already starts that day there."""
    same_start = {"kind": kind, "area": area, "effective_from": effective_from}
    if AssistanceStandard.objects.filter(region=district, **same_start).exists():
        raise _start_taken()


def _start_taken() -> Conflict:
    return Conflict(
        _("A standard of this kind and area already starts on this date."), code=AffairsError.STANDARD_EXISTS
    )


def standard_add(
    *,
    actor,
    region: int | None,
    kind: str,
    area: str,
    amount: Decimal,
    parameters: dict,
    effective_from: date,
    effective_to: date | None = None,
    source: str = "",
    request=None,
) -> AssistanceStandard:
    """A district's own standard (or, by a superuser, the platform's default) from
    `effective_from` (409 `standard_exists` if one of this kind and area already starts that day)."""
    district = standard_district(actor, region)
    check_start_free(district, kind=kind, area=area, effective_from=effective_from)
    same_start = {"kind": kind, "area": area, "effective_from": effective_from}
    with transaction.atomic():
        try:
            with transaction.atomic():  # two clerks at once: the unique constraint decides
                standard = AssistanceStandard.objects.create(
                    region=district,
                    region_path=district.path if district else "",
                    amount=amount,
                    parameters=parameters,
                    effective_to=effective_to,
                    source=source,
                    **same_start,
                )
        except IntegrityError:
            raise _start_taken() from None
        audit_record(
            actor=actor,
            action="affairs.standard.create",
            target=standard,
            request=request,
            changes=created(kind=standard.kind, area=standard.area, amount=str(standard.amount)),
        )
    return standard


def standard_end(
    *, actor, standard: AssistanceStandard, effective_to: date, request=None
) -> AssistanceStandard:
    """End a district's standard on `effective_to` (409 `standard_ended` once it has ended)."""
    check_standard_configurable(actor, standard)
    if effective_to < standard.effective_from:
        raise field_error("effective_to", _("This date is before the start."))
    with transaction.atomic():
        standard = AssistanceStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.effective_to is not None and standard.effective_to < timezone.localdate():
            raise Conflict(_("This standard has already ended."), code=AffairsError.STANDARD_ENDED)
        before = standard.effective_to
        standard.effective_to = effective_to
        standard.save(update_fields=["effective_to"])
        audit_record(
            actor=actor,
            action="affairs.standard.end",
            target=standard,
            request=request,
            changes={"effective_to": {"old": str(before) if before else None, "new": str(effective_to)}},
        )
    return standard
