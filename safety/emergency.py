"""Writes of emergency work: plans with contacts and resources, drills, incident broadcasts with
acknowledgement tracking and one reminder to whoever has not acknowledged after the set time."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.models import RoleAssignment
from core.accounts.roles import is_role
from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.dashboards.changes import mark_changed
from core.notices.services import notify
from core.regions.models import Region
from core.regions.paths import region_in_scope
from safety.errors import SafetyError
from safety.models import Drill, EmergencyPlan, EmergencyResource, Incident, IncidentReceipt

PLAN = "safety.plan"
BROADCAST = "safety.broadcast"


def default_reminder_minutes() -> int:
    return getattr(settings, "SAFETY_INCIDENT_REMINDER_MINUTES", 30)


def plan_add(
    *,
    actor,
    community: int,
    title: str,
    hazard: str,
    effective_from: date,
    contacts: list,
    resources: list,
    request=None,
) -> EmergencyPlan:
    region = region_in_scope(actor, community, PLAN, levels=(Region.Level.COMMUNITY,))
    if region is None:
        raise not_found_in_payload("community")
    with transaction.atomic():
        plan = EmergencyPlan.objects.create(
            title=title,
            hazard=hazard,
            effective_from=effective_from,
            contacts=json.dumps(contacts, ensure_ascii=False),
            region=region,
            region_path=region.path,
        )
        EmergencyResource.objects.bulk_create(
            EmergencyResource(plan=plan, region=region, region_path=region.path, **resource)
            for resource in resources
        )
        audit_record(
            actor=actor,
            action="safety.plan.add",
            target=plan,
            request=request,
            changes=created(title=title, hazard=hazard, resources=len(resources), contacts=len(contacts)),
        )
    return plan


def drill_record(
    *, actor, plan: EmergencyPlan, held_on: date, participants: int, findings: str = "", request=None
) -> Drill:
    with transaction.atomic():
        drill = Drill.objects.create(
            plan=plan,
            held_on=held_on,
            participants=participants,
            findings=findings,
            region_id=plan.region_id,
            region_path=plan.region_path,
        )
        audit_record(
            actor=actor,
            action="safety.drill.record",
            target=drill,
            request=request,
            changes=created(plan=plan.pk, held_on=held_on, participants=participants),
        )
    return drill


# incidents -------------------------------------------------------------------------------------


def incident_broadcast(
    *,
    actor,
    region: int,
    roles: list[str],
    title: str,
    body: str = "",
    reminder_minutes: int | None = None,
    request=None,
) -> Incident:
    """Tell everyone holding one of `roles` at the region or below it; each must acknowledge."""
    node = region_in_scope(actor, region, BROADCAST)
    if node is None:
        raise not_found_in_payload("region")
    unknown = [role for role in roles if not is_role(role)]
    if unknown or not roles:
        raise field_error("roles", _("Name declared roles."))
    now = timezone.now()
    minutes = reminder_minutes or default_reminder_minutes()
    holders = (
        RoleAssignment.objects.current()
        .filter(role__in=roles, user__is_active=True)
        .under(node.path)
        .values_list("user_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            title=title,
            body=body,
            roles=sorted(set(roles)),
            reminder_minutes=minutes,
            sent_by=actor,
            remind_at=now + timedelta(minutes=minutes),
            region=node,
            region_path=node.path,
        )
        IncidentReceipt.objects.bulk_create(
            IncidentReceipt(incident=incident, user_id=user_id, region=node, region_path=node.path)
            for user_id in sorted(set(holders))
        )
        mark_changed([node.path])  # bulk_create sends no signal (safety.incidents_acknowledged)
        link = _link(incident)
        for role in incident.roles:
            notify(kind="safety.incident", title=title, body=body[:200], region=node, role=role, link=link)
        audit_record(
            actor=actor,
            action="safety.incident.broadcast",
            target=incident,
            request=request,
            changes=created(title=title, roles=incident.roles, reminder_minutes=minutes),
        )
    return incident


def _link(incident: Incident) -> dict:
    return {"type": "safety.incident", "id": incident.pk, "url": f"/api/v1/safety/incidents/{incident.pk}/"}


def receipt_acknowledge(*, actor, receipt: IncidentReceipt, request=None) -> IncidentReceipt:
    if receipt.acknowledged_at is not None:
        raise Conflict(_("Already acknowledged."), code=SafetyError.ALREADY_ACKNOWLEDGED)
    with transaction.atomic():
        receipt.acknowledged_at = timezone.now()
        receipt.save(update_fields=["acknowledged_at", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.incident.acknowledge",
            target=receipt,
            request=request,
            changes={"acknowledged_at": {"old": None, "new": receipt.acknowledged_at}},
        )
    return receipt


def incidents_remind(*, now=None) -> int:
    """One reminder to each addressee who has not acknowledged, once an incident's time is up."""
    now = now or timezone.now()
    reminded = 0
    with transaction.atomic():
        due = list(Incident.objects.select_for_update().filter(remind_at__lte=now, reminded_at__isnull=True))
        for incident in due:
            pending = incident.receipts.filter(acknowledged_at__isnull=True).values_list("user_id", flat=True)
            for user_id in pending:
                notify(
                    kind="safety.incident_reminder",
                    title=_("Not yet acknowledged: %(title)s") % {"title": incident.title},
                    user=_user(user_id),
                    link=_link(incident),
                )
                reminded += 1
        Incident.objects.filter(pk__in=[i.pk for i in due]).update(reminded_at=now)
        if due:
            audit_record(
                actor=None,
                action="safety.incident.remind",
                object_type="safety.incident",
                object_ids=[i.pk for i in due],
            )
    return reminded


def _user(user_id: int):
    from core.accounts.models import User

    return User.objects.get(pk=user_id)
