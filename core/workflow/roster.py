"""The on-duty roster (值班表) of communities and streets: who is on duty where, and when.

A community keeps its own roster (its community workers and secretary), a street its own (its
street staff); whoever covers the node with `events.handle` may add and end its shifts. The
rules, checked by `duty_shift_add`:

- a shift belongs to a community or a street;
- the person on duty holds a staff role at that node or below it, in force on the shift's dates;
- a shift ends after it starts, in the future, and lasts at most MAX_SHIFT;
- one person's shifts at one node do not overlap (the same shift entered twice); different
  people may overlap (two on duty together: every one of them is told), and gaps are allowed
  (a node without anyone on duty falls back to the ordinary escalation).

A round-the-clock event escalated to a node is sent to whoever is on duty there at that moment
(core.workflow.escalation).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.models import RoleAssignment
from core.accounts.roles import staff_roles
from core.api.errors import ApplicationError, CommonError, Conflict, not_found_in_payload
from core.audit.services import audit_record
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.workflow.errors import WorkflowError
from core.workflow.models import DutyShift

ROSTER_LEVELS = frozenset({Region.Level.COMMUNITY, Region.Level.STREET})
MAX_SHIFT = timedelta(days=7)
KEEP_PERMISSION = "workflow.handle"


# reads ------------------------------------------------------------------------------------------


def on_duty_now(region: Region, at: datetime | None = None) -> list:
    """Who is on duty at this node now (or at `at`), earliest shift first."""
    return on_duty_at([region.pk], at or timezone.now()).get(region.pk, [])


def on_duty_at(region_ids, at: datetime) -> dict[int, list]:
    """Who is on duty at each of these nodes at `at`, by region id, in one query."""
    shifts = (
        DutyShift.objects.on_duty_at(at)
        .filter(region_id__in=list(region_ids), user__is_active=True)
        .select_related("user")
        .order_by("starts_at", "id")
    )
    found: dict[int, list] = {}
    for shift in shifts:
        people = found.setdefault(shift.region_id, [])
        if shift.user not in people:
            people.append(shift.user)
    return found


def _holds_staff_role_under(user_id: int, region: Region, starts_at: datetime, ends_at: datetime) -> bool:
    first, last = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
    return (
        RoleAssignment.objects.current(on=first)
        .filter(user_id=user_id, user__is_active=True, role__in=staff_roles())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        .under(region.path)
        .exists()
    )


def _visible_staff(actor, user_id: int) -> bool:
    """Whether the person holds a current staff role somewhere the actor sees."""
    paths = scope_for(actor).paths
    return bool(paths) and (
        RoleAssignment.objects.current()
        .filter(user_id=user_id, role__in=staff_roles())
        .under(*paths)
        .exists()
    )


# writes -----------------------------------------------------------------------------------------


def duty_shift_add(
    *,
    actor,
    region: Region,
    user_id: int,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    request=None,
) -> DutyShift:
    """Put a person on duty at a community or a street, from `starts_at` to `ends_at`."""
    if not scope_for(actor).covers(region.path, KEEP_PERMISSION):
        raise not_found_in_payload("region")
    errors: dict[str, list[str]] = {}
    if region.level not in ROSTER_LEVELS:
        errors["region"] = [_("An on-duty roster is kept by a community or a street.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A shift ends after it starts.")]
    elif ends_at - starts_at > MAX_SHIFT:
        errors["ends_at"] = [_("A shift lasts at most seven days.")]
    elif ends_at <= timezone.now():
        errors["ends_at"] = [_("A shift cannot end in the past.")]
    if not errors and not _holds_staff_role_under(user_id, region, starts_at, ends_at):
        if not _visible_staff(actor, user_id):
            raise not_found_in_payload("user")
        errors["user"] = [_("This person holds no staff role at this place for the whole shift.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code=CommonError.INVALID, fields=errors)
    with transaction.atomic():
        # Lock the node's roster so that two overlapping shifts of one person cannot both pass.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        overlapping = (
            DutyShift.objects.filter(
                region=region, user_id=user_id, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=starts_at))
            .exists()
        )
        if overlapping:
            raise Conflict(
                _("This person already has a shift here at that time."),
                code=WorkflowError.SHIFT_OVERLAPS,
                fields={"starts_at": [_("This person already has a shift here at that time.")]},
            )
        shift = DutyShift.objects.create(
            region=region,
            user_id=user_id,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="workflow.duty_shift.add",
            target=shift,
            request=request,
            changes={
                "user": {"old": None, "new": user_id},
                "region": {"old": None, "new": region.pk},
                "starts_at": {"old": None, "new": starts_at.isoformat()},
                "ends_at": {"old": None, "new": ends_at.isoformat()},
            },
        )
    return shift


def duty_shift_end(*, actor, shift: DutyShift, request=None) -> DutyShift:
    """End a running shift now, or cancel one that has not started."""
    now = timezone.now()
    with transaction.atomic():
        shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
        if shift.ended_at is not None or shift.ends_at <= now:
            raise Conflict(_("This shift is already over."), code=WorkflowError.SHIFT_OVER)
        shift.ended_at, shift.ended_by = now, actor
        shift.save(update_fields=["ended_at", "ended_by"])
        audit_record(
            actor=actor,
            action="workflow.duty_shift.end",
            target=shift,
            request=request,
            changes={"ended_at": {"old": None, "new": now.isoformat()}},
        )
    return shift
