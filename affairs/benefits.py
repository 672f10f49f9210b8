"""Benefits in force: granted when an application is confirmed, ended when they lapse, are
revoked or the beneficiary dies or moves out, and re-checked periodically.

Each benefit sets its item's tag on the resident (source "benefit", with dates), so care lists
and filters see it; ending the benefit ends the tag and both rows stay as history.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.actors import acts_at_level
from affairs.adulthood import ENDS_AT_ADULTHOOD, coming_of_age, first_check
from affairs.eligibility import evaluate
from affairs.errors import AffairsError
from affairs.models import Application, Benefit
from core.api.errors import Conflict, Forbidden, field_error
from core.audit.services import audit_record, created
from core.pii.masking import mask_free_text
from core.registry.contributions import ADULT_AGE
from core.registry.minors import resident_shown_name
from core.registry.models import Resident, ResidentTag
from core.registry.services_tags import tag_assign, tag_end
from core.registry.tags import years_before
from core.workflow.models import Event
from core.workflow.services import event_report

CENT = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day: 31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def monthly_shares(application: Application, eligibility: dict) -> dict[int, Decimal]:
    """Each covered member's monthly amount: the shares the check found (a 低保 household's
    amount split by covered member, single-person households their own); if the decided amount
    differs from their sum, that amount split evenly (the first members take the leftover cents)."""
    covered = [int(r) for r in eligibility.get("covered") or []]
    shares = {int(k): Decimal(v) for k, v in (eligibility.get("shares") or {}).items() if v is not None}
    total = None if application.monthly_amount is None else Decimal(str(application.monthly_amount))
    if not covered:
        return {}
    if all(r in shares for r in covered) and (total is None or sum(shares[r] for r in covered) == total):
        return {r: shares[r] for r in covered}
    total = total or Decimal(0)
    even = (total / len(covered)).quantize(CENT, rounding="ROUND_DOWN")
    leftover = int((total - even * len(covered)) / CENT)
    return {r: even + (CENT if i < leftover else 0) for i, r in enumerate(covered)}


@transaction.atomic
def benefits_grant(application: Application, *, actor, on: date | None = None) -> list[Benefit]:
    """A benefit per covered member of an approved application whose item grants one (a one-off
    item like 临时救助 grants none), from `on` (default today), re-checked every
    `item.recheck_months`. Covered members come from `application.eligibility` (evaluated now
    if the application carries none).

    The item's tag is assigned with source "benefit"; if the resident already holds that tag
    (from a worker, an import or another source) it is kept as it is and the benefit links none,
    so ending the benefit will not end a tag it did not set. 409 `benefit_in_force` if a member
    already has this item's benefit in force."""
    item = application.item
    if not item.benefit_tag:
        return []
    on = on or timezone.localdate()
    eligibility = application.eligibility if application.eligibility.get("covered") else evaluate(application)
    shares = monthly_shares(application, eligibility)
    residents = Resident.objects.in_bulk(list(shares))
    if Benefit.objects.filter(resident_id__in=list(shares), item=item, ended_on__isnull=True).exists():
        raise Conflict(
            _("A covered member already has this benefit in force."), code=AffairsError.BENEFIT_IN_FORCE
        )
    held = set(
        ResidentTag.objects.filter(
            resident_id__in=list(shares), tag=item.benefit_tag, ended_on__isnull=True
        ).values_list("resident_id", flat=True)
    )
    next_check = add_months(on, item.recheck_months) if item.recheck_months else None
    granted = []
    for resident_id, amount in shares.items():
        resident = residents[resident_id]
        tag = None
        if resident_id not in held:
            tag = tag_assign(
                actor=actor,
                resident=resident,
                tag=item.benefit_tag,
                source=ResidentTag.Source.BENEFIT,
                started_on=on,
                attributes={"item": item.code, "application": application.pk, "monthly_amount": str(amount)},
            )
        granted.append(
            Benefit.objects.create(
                item=item,
                application=application,
                resident=resident,
                household=application.household,
                region_path=application.household.region_path,
                monthly_amount=amount,
                tag=tag,
                started_on=on,
                next_check_on=first_check(item, resident, on, next_check),
            )
        )
    audit_record(
        actor=actor,
        action="affairs.benefit.grant",
        target=application,
        object_ids=[b.pk for b in granted],
        changes=created(
            started_on=str(on),
            **{f"monthly_amount.{b.resident_id}": str(b.monthly_amount) for b in granted},
        ),
    )
    return granted


@transaction.atomic
def benefit_end(benefit: Benefit, *, reason: str, actor, on: date | None = None, note: str = "") -> Benefit:
    """End a benefit and the tag it set, as of `on` (default today); the rows stay as history.
    409 `benefit_ended` if it has already ended."""
    if reason not in Benefit.EndReason.values:
        raise field_error("reason", _("Choose one of the listed values."))
    benefit = Benefit.objects.select_for_update(of=("self",)).select_related("tag").get(pk=benefit.pk)
    if benefit.ended_on is not None:
        raise Conflict(_("This benefit has already ended."), code=AffairsError.BENEFIT_ENDED)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise field_error("ended_on", _("The date is in the future."))
    # A death or move-out recorded with a date before the benefit began ends it on its first day.
    on = max(on, benefit.started_on)
    benefit.ended_on, benefit.end_reason, benefit.end_note = on, reason, note[:500]
    benefit.next_check_on = None
    benefit.save(update_fields=["ended_on", "end_reason", "end_note", "next_check_on"])
    # A death has already ended every tag of the person (the register does it); others end here.
    if benefit.tag is not None and benefit.tag.ended_on is None:
        tag_end(actor=actor, resident_tag=benefit.tag, ended_on=max(on, benefit.tag.started_on))
    audit_record(
        actor=actor,
        action="affairs.benefit.end",
        target=benefit,
        changes={"ended_on": {"old": None, "new": str(on)}, "end_reason": {"old": "", "new": reason}},
        extra={"note": mask_free_text(note)[:200]} if note else None,
    )
    return benefit


def lapse_at_adult_age(today: date) -> int:
    """End the childhood benefits of everyone who has turned 18, as of their birthday."""
    due = Benefit.objects.in_force(today).filter(
        item__eligibility__in=ENDS_AT_ADULTHOOD, resident__birth_date__lte=years_before(today, ADULT_AGE)
    )
    ended = 0
    for benefit in due.select_related("resident"):
        benefit_end(
            benefit,
            reason=Benefit.EndReason.LAPSED,
            actor=None,
            on=coming_of_age(benefit.resident.birth_date),
            note=_("Turned 18."),
        )
        ended += 1
    return ended


RECHECK = "affairs.benefit_recheck"
RECHECK_BATCH = 500


def benefit_end_by_confirming_level(
    benefit: Benefit, *, reason: str, note: str, ended_on: date | None, actor
) -> Benefit:
    """Staff end a benefit that lapsed or is revoked: the level that confirms the item ends what it
    granted (403 otherwise), and says why."""
    if not acts_at_level(actor, benefit.region_path, benefit.item.confirm_level):
        raise Forbidden(_("Only the level that confirms this item may end its benefits."))
    if not note.strip():
        raise field_error("note", _("Say why in the note."))
    return benefit_end(benefit, reason=reason, actor=actor, on=ended_on, note=note)


def recheck_ref(benefit: Benefit) -> str:
    """One re-check per household, item and due date: the household's eligibility is what is
    checked again, however many of its members the benefit covers."""
    return f"recheck:{benefit.household_id}:{benefit.item_id}:{benefit.next_check_on.isoformat()}"


def _next_due(benefit: Benefit, today: date) -> date | None:
    """The next re-check after today, keeping the cadence from the due date (a run missed for
    two years does not open two re-checks)."""
    months = benefit.item.recheck_months
    if not months:
        return None
    due = benefit.next_check_on
    while due <= today:
        due = add_months(due, months)
    return due


def open_due_rechecks(today: date | None = None) -> int:
    """Open an `affairs.benefit_recheck` event for every household and item with a benefit in
    force whose re-check is due, at the household's house (or grid), and move the next re-check
    on. Safe to run any number of times, and concurrently: the due date moves in the same
    transaction (locked rows are skipped), and an event already opened for a household, item and
    due date (`external_ref`) is not opened again. Returns how many events were opened."""
    today = today or timezone.localdate()
    opened = 0
    while True:
        with transaction.atomic():
            due = list(
                Benefit.objects.in_force(today)
                .filter(next_check_on__lte=today)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("item", "resident", "household__house", "household__region")
                .order_by("next_check_on", "id")[:RECHECK_BATCH]
            )
            if not due:
                return opened
            groups: dict[str, list[Benefit]] = {}
            for benefit in due:
                groups.setdefault(recheck_ref(benefit), []).append(benefit)
            opened_before = set(
                Event.objects.filter(type=RECHECK, external_ref__in=list(groups)).values_list(
                    "external_ref", flat=True
                )
            )
            for ref, benefits in groups.items():
                if ref not in opened_before:
                    _open_recheck(benefits, ref)
                    opened += 1
            for benefit in due:
                benefit.next_check_on = _next_due(benefit, today)
            Benefit.objects.bulk_update(due, ["next_check_on"])


def _open_recheck(benefits: list[Benefit], ref: str) -> None:
    benefit = benefits[0]
    household = benefit.household
    event_report(
        reporter=None,
        type_key=RECHECK,
        source=Event.Source.DOMAIN,  # opened by the domain for what an application granted
        title=_("Re-check: %(item)s") % {"item": benefit.item.name},
        description=_("%(name)s: the benefit granted on %(since)s is due for its re-check on %(due)s.")
        % {
            "name": "、".join(resident_shown_name(b.resident) for b in benefits),
            "since": benefit.started_on.isoformat(),
            "due": benefit.next_check_on.isoformat(),
        },
        house=household.house,
        grid=None if household.house_id else household.region,
        external_ref=ref,
    )


HANDED_REASONS = {
    "income_above_standard": _("income above the standard"),
    "died": _("death"),
}


def recheck_handed_over(payload, *, key: str) -> int:
    """The `benefit_recheck` hand-off (a scenario's rules over other offices' data found a
    recipient whose situation changed): one re-check event per household and item in force,
    saying why and until when the gradual exit (渐退期) runs. A household with nothing in force
    opens nothing. Idempotent: the event's `external_ref` carries the hand-off's key."""
    in_force = list(
        Benefit.objects.in_force(payload.occurred_on)
        .filter(household_id=payload.household_id)
        .select_related("item", "resident", "household__house", "household__region")
        .order_by("item_id", "id")
    )
    groups: dict[str, list[Benefit]] = {}
    for benefit in in_force:
        # external_ref holds 100 characters: the key is hashed, so any key fits
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        groups.setdefault(f"recheck:handed:{benefit.item_id}:{digest}", []).append(benefit)
    opened_before = set(
        Event.objects.filter(type=RECHECK, external_ref__in=list(groups)).values_list(
            "external_ref", flat=True
        )
    )
    opened = 0
    for ref, benefits in groups.items():
        if ref in opened_before:
            continue
        benefit = benefits[0]
        household = benefit.household
        why = HANDED_REASONS.get(payload.reason, payload.reason)
        grace = (
            _(" Gradual exit until %(until)s.") % {"until": payload.grace_until.isoformat()}
            if payload.grace_until
            else ""
        )
        event_report(
            reporter=None,
            type_key=RECHECK,
            source=Event.Source.DOMAIN,
            title=_("Re-check: %(item)s") % {"item": benefit.item.name},
            description=_("%(name)s: %(why)s on %(on)s, found by %(source)s.")
            % {
                "name": resident_shown_name(benefit.resident),
                "why": why,
                "on": payload.occurred_on.isoformat(),
                "source": payload.source,
            }
            + grace,
            house=household.house,
            grid=None if household.house_id else household.region,
            external_ref=ref,
        )
        opened += 1
    return opened
