"""Writes of party members: registering one, the probationary member becoming full, and the
transfer of the organizational relation (between organizations here, out and back in), each a
row of history."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.pii import masking
from core.registry.identity import identity_columns, phone_columns
from core.registry.models import Resident
from party_building import rules
from party_building.errors import PartyBuildingError
from party_building.models import Member, Transfer
from party_building.models.members import MemberKind
from party_building.organizations import managed_organization


def _check_full_on(joined_on: date, full_on: date) -> None:
    """党章 art. 7: a probationary member becomes full when the probation year is over."""
    if full_on < rules.years_after(joined_on, rules.PROBATION_YEARS):
        raise field_error(
            "full_on",
            _("A member becomes full only once the probation year is over (%(day)s).")
            % {"day": rules.years_after(joined_on, rules.PROBATION_YEARS).isoformat()},
            code=PartyBuildingError.PROBATION_NOT_OVER,
        )


def _person(actor, resident, outside: dict | None) -> dict:
    """The person's columns: a resident record the actor sees, or an outsider's encrypted data."""
    if resident is not None:
        record = Resident.objects.visible_to(actor).filter(pk=resident, status=Resident.Status.ACTIVE).first()
        if record is None:
            raise not_found_in_payload("resident")
        if Member.objects.filter(resident=record).exists():
            raise Conflict(
                _("This resident is already a party member here."), code=PartyBuildingError.ALREADY_MEMBER
            )
        return {"resident": record}
    if not outside:
        raise field_error(
            "resident",
            _("Name the resident, or give the person's details."),
            code=PartyBuildingError.PERSON_REQUIRED,
        )
    identity = identity_columns("id_card", outside["id_number"])
    phones = phone_columns(mobile=outside.get("mobile", ""))
    return {
        "outside_name": outside["name"],
        "outside_id_number": identity["document_number_encrypted"],
        "outside_id_number_masked": identity["document_number_masked"],
        "outside_birth_date": identity["birth_date"],
        "outside_mobile": phones["mobile_encrypted"],
        "outside_mobile_masked": phones["mobile_masked"],
    }


def member_create(
    *,
    actor,
    organization: int,
    kind: str,
    joined_on: date,
    resident: int | None = None,
    outside: dict | None = None,
    full_on: date | None = None,
    education: str = "unknown",
    request=None,
) -> Member:
    holder = managed_organization(actor, organization)
    if kind == MemberKind.FULL:
        if full_on is None:
            raise field_error("full_on", _("Give the date the member became full."))
        _check_full_on(joined_on, full_on)
    elif full_on is not None:
        raise field_error("full_on", _("A probationary member has no full-membership date yet."))
    person = _person(actor, resident, outside)
    with transaction.atomic():
        try:
            with transaction.atomic():
                member = Member.objects.create(
                    organization=holder,
                    region=holder.region,
                    region_path=holder.region_path,
                    kind=kind,
                    joined_on=joined_on,
                    full_on=full_on,
                    education=education,
                    **person,
                )
        except IntegrityError:
            raise Conflict(
                _("This resident is already a party member here."), code=PartyBuildingError.ALREADY_MEMBER
            ) from None
        audit_record(
            actor=actor,
            action="party_building.member.create",
            target=member,
            request=request,
            changes=created(
                organization=holder.pk,
                resident=resident,
                outside_name=masking.mask_name(person.get("outside_name")),
                kind=kind,
                joined_on=str(joined_on),
            ),
        )
    return member


def member_make_full(*, actor, member: Member, full_on: date, request=None) -> Member:
    """The probationary member becomes full on `full_on` (not before the probation year ends)."""
    if member.status != Member.Status.ACTIVE:
        raise Conflict(
            _("This member's relation is no longer held here."), code=PartyBuildingError.TRANSFERRED_OUT
        )
    if member.kind != MemberKind.PROBATIONARY:
        raise Conflict(_("This member is already a full member."), code=PartyBuildingError.NOT_PROBATIONARY)
    _check_full_on(member.joined_on, full_on)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        member.kind, member.full_on = MemberKind.FULL, full_on
        member.save(update_fields=["kind", "full_on", "updated_at"])
        audit_record(
            actor=actor,
            action="party_building.member.make_full",
            target=member,
            request=request,
            changes={
                "kind": {"old": MemberKind.PROBATIONARY, "new": MemberKind.FULL},
                "full_on": {"old": None, "new": str(full_on)},
            },
        )
    return member


def _letter_free(letter_number: str) -> None:
    if letter_number and Transfer.objects.filter(letter_number=letter_number).exists():
        raise _letter_used()


def _letter_used():
    return field_error(
        "letter_number",
        _("This letter number was already used for a transfer."),
        code=PartyBuildingError.LETTER_NUMBER_USED,
    )


def _require_letter(letter_number: str) -> None:
    if not letter_number:
        raise field_error(
            "letter_number",
            _("A transfer to or from elsewhere needs the letter's number."),
            code=PartyBuildingError.LETTER_NUMBER_REQUIRED,
        )


def member_transfer(
    *,
    actor,
    member: Member,
    transferred_on: date,
    to_organization: int | None = None,
    outside_organization: str = "",
    letter_number: str = "",
    request=None,
) -> Transfer:
    """Move the member's relation: to an organization here (`to_organization`), out to one
    elsewhere (`outside_organization` and its letter), or, for a member transferred out, back in
    (`to_organization`, the letter and where from)."""
    coming_back = member.status == Member.Status.TRANSFERRED_OUT
    target = (
        managed_organization(actor, to_organization, field="to_organization")
        if to_organization is not None
        else None
    )
    if coming_back:
        if target is None:
            raise field_error("to_organization", _("Name the organization the member comes back to."))
        _require_letter(letter_number)
        direction = Transfer.Direction.IN
    elif target is not None:
        if target.pk == member.organization_id:
            raise field_error(
                "to_organization",
                _("The member's relation is already held by this organization."),
                code=PartyBuildingError.ALREADY_IN_ORGANIZATION,
            )
        direction = Transfer.Direction.WITHIN
    else:
        if not outside_organization:
            raise field_error("outside_organization", _("Name the organization elsewhere."))
        _require_letter(letter_number)
        direction = Transfer.Direction.OUT
    _letter_free(letter_number)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        before = member.organization_id
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    member=member,
                    direction=direction,
                    from_organization=None if coming_back else member.organization,
                    to_organization=target,
                    outside_organization=outside_organization,
                    letter_number=letter_number,
                    transferred_on=transferred_on,
                )
        except IntegrityError:
            raise _letter_used() from None
        if direction == Transfer.Direction.OUT:
            member.status = Member.Status.TRANSFERRED_OUT
        else:
            member.status = Member.Status.ACTIVE
            member.organization, member.region, member.region_path = target, target.region, target.region_path
        member.save(update_fields=["status", "organization", "region", "region_path", "updated_at"])
        audit_record(
            actor=actor,
            action="party_building.member.transfer",
            target=member,
            request=request,
            changes={
                "organization": {"old": before, "new": member.organization_id},
                "direction": {"old": None, "new": direction},
                "letter_number": {"old": None, "new": letter_number},
            },
        )
    return transfer
