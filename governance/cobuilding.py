"""共建单位 and their resources; a need (from a deliberation or raised by a worker) matched to a
resource of a unit of the same community or street, and its outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.api.errors import Conflict, not_found_in_payload
from core.audit.services import audit_record, changed_fields, created
from core.regions.paths import is_under, region_in_scope
from governance.contributions import MANAGE
from governance.errors import GovernanceError
from governance.models import CoBuildingUnit, Need, Topic, UnitResource


def unit_register(*, actor, region: int, name: str, kind: str, resources=(), agreement_on=None, request=None):
    """A co-building unit at a community or street, with its list of resources."""
    place = region_in_scope(actor, region, MANAGE)
    if place is None:
        raise not_found_in_payload("region")
    with transaction.atomic():
        unit = CoBuildingUnit.objects.create(
            region=place, region_path=place.path, name=name, kind=kind, agreement_on=agreement_on
        )
        UnitResource.objects.bulk_create(
            UnitResource(unit=unit, title=r["title"], category=r["category"]) for r in resources
        )
        audit_record(
            actor=actor,
            action="governance.unit.register",
            target=unit,
            changes=created(name=name, resources=len(resources)),
            request=request,
        )
    return unit


def need_raise(*, actor, community: int, title: str, topic: Topic | None = None, request=None) -> Need:
    place = region_in_scope(actor, community, MANAGE)
    if place is None:
        raise not_found_in_payload("community")
    if topic is not None and topic.region_id != place.pk:
        raise not_found_in_payload("topic")
    with transaction.atomic():
        need = Need.objects.create(region=place, region_path=place.path, title=title, topic=topic)
        audit_record(
            actor=actor,
            action="governance.need.raise",
            target=need,
            changes=created(title=title),
            request=request,
        )
    return need


def need_match(*, actor, need: Need, resource: UnitResource, request=None) -> Need:
    """Match an open need to an available resource of a unit at its community or above it."""
    if need.status != Need.Status.OPEN:
        raise Conflict(_("Only an open need is matched."), code=GovernanceError.WRONG_STAGE)
    if not resource.available or not is_under(need.region_path, resource.unit.region_path):
        raise not_found_in_payload("resource")
    with transaction.atomic():
        need.resource, need.status = resource, Need.Status.MATCHED
        need.save(update_fields=["resource", "status", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.need.match",
            target=need,
            changes=changed_fields({"status": "open"}, {"status": "matched"}),
            request=request,
        )
    return need


def need_close(*, actor, need: Need, met: bool, outcome: str, request=None) -> Need:
    if need.status != Need.Status.MATCHED:
        raise Conflict(_("Record the outcome of a matched need."), code=GovernanceError.WRONG_STAGE)
    status = Need.Status.MET if met else Need.Status.UNMET
    with transaction.atomic():
        need.status, need.outcome = status, outcome
        need.save(update_fields=["status", "outcome", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.need.close",
            target=need,
            changes=changed_fields({"status": "matched"}, {"status": status}),
            request=request,
        )
    return need
