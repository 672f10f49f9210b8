"""Meal assistance (助餐): pricing a meal by the subsidy rule in force on its date, recording it
once per elder and meal period, and each meal point's monthly settlement, closed once.

A meal's subsidy is the best tier the elder qualifies for on the meal's date, among the rules in
force then for the meal point's district (the district's own rules, else the platform's): an
age band (60+, 80+ …) or a status from the register's tags (低保, 特困, disability; affairs sets
them when it grants a benefit). Tiers do not add up. An elder who qualifies for none pays the full
price; nothing is subsidized.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.paths import id_at
from core.registry.models import Resident, ResidentTag
from core.registry.tags import years_before
from services.contributions import CONFIGURE, MANAGE
from services.errors import ServicesError
from services.models import MealPoint, MealRecord, MealSettlement, MealSubsidyRule, SettlementLine
from services.places import in_scope, region_for

ZERO = Decimal("0.00")


def rules_in_force(point: MealPoint, on: date) -> list[MealSubsidyRule]:
    """The rules in force on `on` for the point's district: its own if it has any, else the
    platform's defaults."""
    district_id = id_at(point.region_path, Region.Level.DISTRICT)
    rows = MealSubsidyRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    own = list(rows.filter(district_id=district_id)) if district_id else []
    return own or list(rows.filter(district__isnull=True))


@dataclass(frozen=True)
class MealPrice:
    price: Decimal
    government_share: Decimal
    provider_discount: Decimal
    elder_pays: Decimal
    rule: MealSubsidyRule | None


def meal_price(point: MealPoint, resident: Resident, on: date) -> MealPrice:
    """What a meal at `point` on `on` costs whom, for this elder as the register has them then."""
    tags = set(ResidentTag.objects.current(on).filter(resident=resident).values_list("tag", flat=True))
    best = None
    for rule in rules_in_force(point, on):
        old_enough = resident.birth_date is not None and resident.birth_date <= years_before(on, rule.min_age)
        has_status = rule.status == MealSubsidyRule.Status.AGE or rule.status in tags
        if old_enough and has_status and (best is None or _relief(rule) > _relief(best)):
            best = rule
    if best is None:
        return MealPrice(point.price, ZERO, ZERO, point.price, None)
    government = min(best.government_share, point.price)
    discount = min(best.provider_discount, point.price - government)
    return MealPrice(point.price, government, discount, point.price - government - discount, best)


def _relief(rule: MealSubsidyRule) -> tuple:
    return (rule.government_share + rule.provider_discount, rule.government_share, rule.pk)


def meal_point_create(*, actor, region: int, request=None, **fields) -> MealPoint:
    place = region_for(actor, region, MANAGE)
    with transaction.atomic():
        point = MealPoint.objects.create(region=place, region_path=place.path, **fields)
        audit_record(
            actor=actor,
            action="services.meal_point.create",
            target=point,
            changes=created(name=point.name, operator=point.operator, price=point.price),
            request=request,
        )
    return point


def meal_rule_add(*, actor, district: int | None, request=None, **fields) -> MealSubsidyRule:
    """A new rule, for a district in the caller's scope (district staff: services.configure)."""
    place = region_for(actor, district, CONFIGURE, field="district") if district is not None else None
    if place is not None and place.level != Region.Level.DISTRICT:
        raise field_error("district", _("Subsidy rules are set per district."))
    if place is None:
        raise field_error("district", _("Name the district the rule applies in."))
    end = fields.get("effective_to")
    if end is not None and end < fields["effective_from"]:
        raise field_error("effective_to", _("This date is before the start."))
    with transaction.atomic():
        rule = MealSubsidyRule.objects.create(district=place, **fields)
        audit_record(
            actor=actor,
            action="services.meal_rule.create",
            target=rule,
            region_path=place.path,
            changes=created(district=place.pk, **fields),
            request=request,
        )
    return rule


def meal_rule_end(*, actor, rule: MealSubsidyRule, effective_to: date, request=None) -> MealSubsidyRule:
    """End a rule (the only change a rule takes): from the next day it no longer applies."""
    if rule.effective_to is not None:
        raise Conflict(_("This rule has already ended."), code=ServicesError.RULE_ENDED)
    if effective_to < rule.effective_from:
        raise field_error("effective_to", _("This date is before the start."))
    with transaction.atomic():
        rule.effective_to = effective_to
        rule.save(update_fields=["effective_to"])
        audit_record(
            actor=actor,
            action="services.meal_rule.end",
            target=rule,
            region_path=rule.district.path if rule.district else "",
            changes={"effective_to": {"old": None, "new": effective_to}},
            request=request,
        )
    return rule


def meal_record(
    *, actor, point: int, resident: int, period: str, method: str, served_on: date | None = None, request=None
) -> MealRecord:
    """Record a meal, priced on its date; a second record for the same elder and meal period is
    refused (a database constraint: concurrent terminals count it once)."""
    where = in_scope(actor, MealPoint.objects.all(), point, MANAGE, field="point")
    elder = in_scope(actor, Resident.objects.active(), resident, MANAGE, field="resident")
    served_on = served_on or timezone.localdate()
    if served_on > timezone.localdate():
        raise field_error("served_on", _("A meal is recorded once it is served."))
    priced = meal_price(where, elder, served_on)
    try:
        with transaction.atomic():
            record = MealRecord.objects.create(
                point=where,
                resident=elder,
                region=where.region,
                region_path=where.region_path,
                served_on=served_on,
                period=period,
                method=method,
                price=priced.price,
                government_share=priced.government_share,
                provider_discount=priced.provider_discount,
                elder_pays=priced.elder_pays,
                rule=priced.rule,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="services.meal.record",
                target=record,
                changes=created(
                    resident=elder.pk,
                    served_on=served_on,
                    period=period,
                    government_share=priced.government_share,
                    elder_pays=priced.elder_pays,
                ),
                request=request,
            )
    except IntegrityError as clash:
        raise Conflict(
            _("This elder's %(period)s of %(day)s is already recorded.")
            % {"period": period, "day": served_on},
            code=ServicesError.MEAL_ALREADY_RECORDED,
        ) from clash
    return record


# settlements ------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _settlement_for(point: MealPoint, month: date) -> MealSettlement:
    settlement, _made = MealSettlement.objects.get_or_create(
        point=point, month=month, defaults={"region": point.region, "region_path": point.region_path}
    )
    return MealSettlement.objects.select_for_update().get(pk=settlement.pk)


def settlement_close(*, actor, point: int, month: date, request=None) -> MealSettlement:
    """Close a meal point's month: the government's share of its meals, summed from the records,
    plus, as correction lines, meals of earlier (closed) months recorded late. Refused for a month
    not yet over and for one already closed; once closed it never changes."""
    where = in_scope(actor, MealPoint.objects.all(), point, MANAGE, field="point")
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise Conflict(
            _("%(month)s is still open: a month is settled once it is over.") % {"month": f"{month:%Y-%m}"},
            code=ServicesError.MONTH_STILL_OPEN,
        )
    with transaction.atomic():
        settlement = _settlement_for(where, month)
        if settlement.status == MealSettlement.Status.CLOSED:
            raise Conflict(_("This month's settlement is closed."), code=ServicesError.SETTLEMENT_CLOSED)
        # The records it counts are locked first (no aggregate may carry FOR UPDATE), then summed.
        locked = MealRecord.objects.select_for_update().filter(
            point=where, settled_in__isnull=True, served_on__lt=next_month(month)
        )
        unsettled = MealRecord.objects.filter(pk__in=list(locked.values_list("pk", flat=True)))
        this_month = unsettled.filter(served_on__gte=month)
        late = unsettled.filter(served_on__lt=month)
        meals = this_month.aggregate(n=Count("id"), total=Sum("government_share"))
        SettlementLine.objects.create(
            settlement=settlement,
            kind=SettlementLine.Kind.MEALS,
            meals=meals["n"],
            amount=meals["total"] or ZERO,
        )
        for row in late.values("served_on__year", "served_on__month").annotate(
            n=Count("id"), total=Sum("government_share")
        ):
            SettlementLine.objects.create(
                settlement=settlement,
                kind=SettlementLine.Kind.CORRECTION,
                meals=row["n"],
                amount=row["total"] or ZERO,
                corrects_month=date(row["served_on__year"], row["served_on__month"], 1),
                note=_("Meals recorded after their month was closed"),
            )
        unsettled.update(settled_in=settlement)
        totals = settlement.lines.aggregate(n=Sum("meals"), total=Sum("amount"))
        settlement.meals = totals["n"] or 0
        settlement.government_total = totals["total"] or ZERO
        settlement.status = MealSettlement.Status.CLOSED
        settlement.closed_at, settlement.closed_by = timezone.now(), actor
        settlement.save()
        audit_record(
            actor=actor,
            action="services.settlement.close",
            target=settlement,
            changes={
                "status": {"old": "open", "new": "closed"},
                "government_total": {"old": None, "new": settlement.government_total},
            },
            request=request,
        )
    return settlement


def settlement_correct(
    *, actor, settlement: MealSettlement, amount: Decimal, note: str, request=None
) -> SettlementLine:
    """A correction of a closed month: a new line of the next open month, never a change of the
    closed one."""
    if settlement.status != MealSettlement.Status.CLOSED:
        raise Conflict(
            _("Correct a month once it is closed; until then its records are the account."),
            code=ServicesError.MONTH_STILL_OPEN,
        )
    if not note.strip():
        raise field_error("note", _("Say what the correction is for."))
    with transaction.atomic():
        month = next_month(settlement.month)
        target = _settlement_for(settlement.point, month)
        while target.status == MealSettlement.Status.CLOSED:
            month = next_month(month)
            target = _settlement_for(settlement.point, month)
        line = SettlementLine.objects.create(
            settlement=target,
            kind=SettlementLine.Kind.CORRECTION,
            amount=amount,
            corrects_month=settlement.month,
            note=note[:500],
        )
        audit_record(
            actor=actor,
            action="services.settlement.correct",
            target=target,
            changes=created(amount=amount, corrects_month=settlement.month, note=note),
            request=request,
        )
    return line
