"""Writes of hazard inspections: checklist items (data with dates), rounds, findings that open
rectification events, and re-inspections that close them or reopen them.

A finding is audited through its rectification event (its report, then the re-inspection steps
audited under the event type): one row per write.

A finding's rectification deadline follows its severity (SEVERITY_DAYS). A place with findings
in another round within the year before is flagged (`Finding.repeat`), for the community to look
at the place rather than at one more hazard.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.paths import region_in_scope
from core.workflow.attachments import attachment_add
from core.workflow.models import Event
from core.workflow.services import event_report, event_step
from core.workflow.states import FINAL_STATES, State
from safety.errors import SafetyError
from safety.models import ChecklistItem, Finding, InspectionRound, PlaceKind

INSPECT = "safety.inspect"
RECTIFICATION = "safety.rectification"
# Days to rectify, by severity: a major hazard (重大隐患) at once (a day), a minor one within
# the fortnight a notice to rectify (责令改正通知) usually gives.
SEVERITY_DAYS = {"low": 15, "medium": 7, "high": 3, "critical": 1}
SEVERITY_PRIORITY = {"low": "normal", "medium": "normal", "high": "high", "critical": "urgent"}
REPEAT_LOOKBACK = timedelta(days=365)


# checklists ------------------------------------------------------------------------------------


def checklist_item_add(*, actor, kind: str, code: str, text: str, effective_from: date, request=None):
    if ChecklistItem.objects.filter(code=code, effective_to__isnull=True).exists():
        raise Conflict(_("A current item has this code: end it first."), code=SafetyError.ITEM_EXISTS)
    with transaction.atomic():
        item = ChecklistItem.objects.create(kind=kind, code=code, text=text, effective_from=effective_from)
        audit_record(
            actor=actor,
            action="safety.checklist.add",
            target=item,
            request=request,
            changes=created(kind=kind, code=code, text=text, effective_from=effective_from),
        )
    return item


def checklist_item_end(*, actor, item: ChecklistItem, effective_to: date, request=None):
    if item.effective_to is not None:
        raise Conflict(_("This item has ended."), code=SafetyError.ITEM_ENDED)
    if effective_to < item.effective_from:
        raise field_error("effective_to", _("An item ends after it starts."))
    with transaction.atomic():
        item.effective_to = effective_to
        item.save(update_fields=["effective_to"])
        audit_record(
            actor=actor,
            action="safety.checklist.end",
            target=item,
            request=request,
            changes={"effective_to": {"old": None, "new": effective_to}},
        )
    return item


def current_items(on: date | None = None):
    on = on or timezone.localdate()
    return ChecklistItem.objects.filter(effective_from__lte=on).exclude(effective_to__lt=on)


# rounds ----------------------------------------------------------------------------------------


def round_open(
    *,
    actor,
    kind: str,
    place_kind: str,
    house: int | None = None,
    grid: int | None = None,
    place_name: str = "",
    request=None,
) -> InspectionRound:
    if place_kind == PlaceKind.HOUSE:
        from core.registry.models import House

        if house is None:
            raise field_error("house", _("Name the house inspected."))
        place = House.objects.visible_to(actor, INSPECT).select_related("region").filter(pk=house).first()
        if place is None:
            raise not_found_in_payload("house")
        region, key, name = place.region, f"house:{place.pk}", ""
    else:
        if grid is None or not place_name.strip():
            raise field_error("place_name", _("Name the grid and the place inspected."))
        region = region_in_scope(actor, grid, INSPECT, levels=(Region.Level.GRID,))
        if region is None:
            raise not_found_in_payload("grid")
        place, name = None, place_name.strip()
        key = f"{place_kind}:{region.pk}:{name.casefold()}"
    with transaction.atomic():
        made = InspectionRound.objects.create(
            kind=kind,
            place_kind=place_kind,
            house=place,
            place_name=name,
            place_key=key,
            inspector=actor,
            inspected_on=timezone.localdate(),
            region=region,
            region_path=region.path,
        )
        audit_record(
            actor=actor,
            action="safety.round.open",
            target=made,
            request=request,
            changes=created(kind=kind, place_kind=place_kind, place=key),
        )
    return made


# findings ----------------------------------------------------------------------------------------


def finding_record(
    *, actor, round: InspectionRound, item: str, severity: str, note: str = "", photo=None, request=None
) -> Finding:
    """A hazard found: its rectification event (deadline by severity), the photo attached to it."""
    checked = current_items().filter(code=item, kind=round.kind).first()
    if checked is None:
        raise field_error(
            "item", _("No current checklist item of this kind has this code."), code=SafetyError.UNKNOWN_ITEM
        )
    now = timezone.now()
    deadline = now + timedelta(days=SEVERITY_DAYS[severity])
    repeat = (
        Finding.objects.filter(place_key=round.place_key, created_at__gte=now - REPEAT_LOOKBACK)
        .exclude(round=round)
        .exists()
    )
    place = round.house.address if round.house_id else round.place_name
    with transaction.atomic():
        event, _merged = event_report(
            reporter=actor,
            type_key=RECTIFICATION,
            source=Event.Source.PATROL,
            title=_("Hazard to rectify: %(item)s, %(place)s") % {"item": checked.text, "place": place},
            description=note,
            house=round.house,
            grid=None if round.house_id else round.region,
            priority=SEVERITY_PRIORITY[severity],
            deadline=deadline,
            request=request,
        )
        finding = Finding.objects.create(
            round=round,
            item=checked,
            kind=round.kind,
            severity=severity,
            note=note,
            place_key=round.place_key,
            deadline=deadline,
            event=event,
            repeat=repeat,
            region_id=round.region_id,
            region_path=round.region_path,
        )
        if repeat:
            Finding.objects.filter(place_key=round.place_key, repeat=False).update(repeat=True)
        if photo is not None:
            attachment_add(event=event, upload=photo, actor=actor, label="hazard_photo", request=request)
    return finding


def finding_reinspect(
    *, actor, finding: Finding, rectified: bool, note: str = "", photo=None, request=None
) -> Finding:
    """A re-inspection: rectified closes the event; not rectified reopens it with a new period."""
    if finding.status == Finding.Status.RECTIFIED:
        raise Conflict(_("This hazard has been rectified."), code=SafetyError.FINDING_CLOSED)
    now = timezone.now()
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        event = finding.event
        if photo is not None and event.state not in FINAL_STATES:
            attachment_add(
                event=event, upload=photo, actor=actor, label="reinspection_photo", request=request
            )
        if rectified:
            event_step(
                event=event,
                action="safety.reinspect_pass",
                actor=actor,
                to_state=State.CLOSED,
                note=note,
                request=request,
            )
            finding.status, finding.rectified_at = Finding.Status.RECTIFIED, now
        else:
            finding.deadline = now + timedelta(days=SEVERITY_DAYS[finding.severity])
            reopen = event.state in {State.RESOLVED, State.CLOSED}
            event_step(
                event=event,
                action="safety.reinspect_fail",
                actor=actor,
                to_state=State.REOPENED if reopen else None,
                deadline=finding.deadline,
                note=note,
                request=request,
            )
            finding.status = Finding.Status.REOPENED
        finding.reinspections += 1
        finding.save(update_fields=["status", "rectified_at", "deadline", "reinspections", "updated_at"])
    return finding
