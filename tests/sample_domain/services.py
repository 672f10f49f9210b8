"""Writes of the sample domain: what a domain's services look like, through core's contracts only."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.accounts.models import RoleAssignment
from core.audit.services import audit_record
from core.extensions import handoffs
from core.workflow.models import Event
from core.workflow.services import event_report
from tests.sample_domain.contributions import LAMP_OUT, PATROLLER
from tests.sample_domain.models import StreetLamp


def patroller_of(event_type, grid):
    """The handler finder of a lamp that is out: the grid's patroller (the first granted)."""
    held = RoleAssignment.objects.current().filter(role=PATROLLER, region=grid).order_by("id").first()
    return held.user if held else None


def lamp_report_out(*, number: str, request=None) -> Event | None:
    """A lamp's controller says it is out: one event for its grid (None for an unknown lamp)."""
    lamp = StreetLamp.objects.select_related("region").filter(number=number).first()
    if lamp is None:
        return None
    event, _merged = event_report(
        reporter=None,
        type_key=LAMP_OUT,
        source=Event.Source.DEVICE,
        title=f"路灯 {lamp.number} 不亮",
        grid=lamp.region,
        request=request,
    )
    return event


def lamp_fixed_by_volunteer(
    *, lamp: StreetLamp, resident_id: int, hours: Decimal, actor, request=None
) -> None:
    """A resident volunteer fixed the lamp: audited here, and the hours handed to whichever domain
    keeps the hours ledger (never imported: core.extensions.handoffs)."""
    with transaction.atomic():
        audit_record(actor=actor, action="sample_domain.lamp.fixed", target=lamp, request=request)
        handoffs.send(
            handoffs.SERVICE_HOURS,
            handoffs.ServiceHours(
                hours=hours,
                served_on=timezone.localdate(),
                activity=f"修路灯 {lamp.number}",
                source=f"sample_domain.lamp:{lamp.pk}",
                resident_id=resident_id,
            ),
            idempotency_key=f"sample_domain.lamp_fixed:{lamp.pk}:{resident_id}",
        )
