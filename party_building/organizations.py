"""Writes of the organization tree: setting up an organization under a node of the region tree,
and filling a committee post for a term. The flags (party_building.flags) are read, never stored."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.api.errors import field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.paths import region_in_scope
from party_building.contributions import MANAGE
from party_building.errors import PartyBuildingError
from party_building.models import Member, Officer, Organization
from party_building.models.organizations import OrganizationKind
from party_building.selectors import managed

ATTACHED_AT = (Region.Level.STREET, Region.Level.COMMUNITY, Region.Level.GRID)


def managed_organization(actor, organization_id, *, field: str = "organization") -> Organization:
    """An organization the actor keeps, named in a payload (400 as if absent otherwise)."""
    found = managed(Organization.objects.active(), actor).filter(pk=_id(organization_id)).first()
    if found is None:
        raise not_found_in_payload(field)
    return found


def _id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def organization_create(
    *,
    actor,
    region: int,
    kind: str,
    name: str,
    founded_on: date,
    setting: str = "community",
    parent: int | None = None,
    request=None,
) -> Organization:
    node = region_in_scope(actor, region, MANAGE)
    if node is None:
        raise not_found_in_payload("region")
    if node.level not in ATTACHED_AT:
        raise field_error(
            "region",
            _("Attach the organization to a street, a community or a grid."),
            code=PartyBuildingError.WRONG_LEVEL,
        )
    higher = managed_organization(actor, parent, field="parent") if parent is not None else None
    if kind == OrganizationKind.GROUP and higher is None:
        raise field_error("parent", _("A party group belongs to a branch."))
    with transaction.atomic():
        organization = Organization.objects.create(
            region=node,
            region_path=node.path,
            kind=kind,
            setting=setting,
            name=name,
            parent=higher,
            founded_on=founded_on,
        )
        audit_record(
            actor=actor,
            action="party_building.organization.create",
            target=organization,
            request=request,
            changes=created(kind=kind, name=name, region=node.pk, parent=parent, founded_on=str(founded_on)),
        )
    return organization


def officer_appoint(
    *,
    actor,
    organization: Organization,
    member: Member,
    post: str,
    starts_on: date,
    ends_on: date | None = None,
    election=None,
    request=None,
) -> Officer:
    """A member of the organization takes a committee post for a term (a secretary appointed by
    the higher committee, or a post an election filled)."""
    if member.organization_id != organization.pk or member.status != Member.Status.ACTIVE:
        raise field_error(
            "member",
            _("This person is not a member of the organization."),
            code=PartyBuildingError.NOT_A_MEMBER,
        )
    with transaction.atomic():
        officer = Officer.objects.create(
            organization=organization,
            member=member,
            post=post,
            starts_on=starts_on,
            ends_on=ends_on,
            election=election,
        )
        audit_record(
            actor=actor,
            action="party_building.officer.appoint",
            target=organization,
            request=request,
            changes=created(
                member=member.pk, post=post, starts_on=str(starts_on), ends_on=str(ends_on or "")
            ),
        )
    return officer
