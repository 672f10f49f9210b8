"""Writes to resident tags: assign and end, with source, dates and who (tag kinds are declared
through the extension contract; derived kinds are computed, never assigned)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, field_error
from core.registry.audit_changes import audit_write
from core.registry.errors import RegistryError
from core.registry.inputs import check_not_future, today, user_or_none
from core.registry.models import Resident, ResidentTag
from core.registry.tags import clean_tag_attributes, tag_kind


@transaction.atomic
def tag_assign(
    *,
    actor,
    resident: Resident,
    tag: str,
    attributes: dict | None = None,
    source: str = ResidentTag.Source.WORKER,
    started_on: date | None = None,
    request=None,
) -> ResidentTag:
    kind = tag_kind(tag)
    if kind is None:
        raise field_error("tag", _("Unknown tag."))
    if kind.derived:
        raise field_error("tag", _("This tag is computed from the birth date and cannot be assigned."))
    if source not in ResidentTag.Source.values:
        raise field_error("source", _("Choose one of the listed values."))
    started_on = started_on or today()
    check_not_future("started_on", started_on)
    attributes = clean_tag_attributes(tag, attributes)
    if resident.status == Resident.Status.DECEASED:
        raise Conflict(_("The resident is recorded as deceased."), code=RegistryError.RESIDENT_DECEASED)
    if ResidentTag.objects.filter(resident=resident, tag=tag, ended_on__isnull=True).exists():
        raise Conflict(_("The resident already has this tag."), code=RegistryError.TAG_EXISTS)
    assigned = ResidentTag.objects.create(
        resident=resident,
        tag=tag,
        attributes=attributes,
        source=source,
        started_on=started_on,
        assigned_by=user_or_none(actor),
    )
    audit_write(
        actor=actor,
        action="registry.tag.assign",
        target=resident,
        changes={
            "tag": {"old": None, "new": tag},
            "attributes": {"old": None, "new": attributes},
            "started_on": {"old": None, "new": str(started_on)},
        },
        request=request,
    )
    return assigned


@transaction.atomic
def tag_end(*, actor, resident_tag: ResidentTag, ended_on: date | None = None, request=None) -> ResidentTag:
    ended_on = ended_on or today()
    if resident_tag.ended_on is not None:
        raise Conflict(_("This tag has already ended."), code=RegistryError.TAG_ENDED)
    check_not_future("ended_on", ended_on)
    if ended_on < resident_tag.started_on:
        raise field_error("ended_on", _("The end date is before the start date."))
    resident_tag.ended_on = ended_on
    resident_tag.ended_by = user_or_none(actor)
    resident_tag.save(update_fields=["ended_on", "ended_by"])
    audit_write(
        actor=actor,
        action="registry.tag.end",
        target=resident_tag.resident,
        changes={
            "tag": {"old": resident_tag.tag, "new": resident_tag.tag},
            "ended_on": {"old": None, "new": str(ended_on)},
        },
        request=request,
    )
    return resident_tag
