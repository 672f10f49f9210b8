"""Aging adaptation (适老化改造): opening one plan per household (一户一方案) under the dated
re-subsidy rule, and its stages, each a step of its event with a deadline of its own."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.paths import id_at
from core.registry.models import Household
from core.registry.tags import years_before
from core.workflow.attachments import attachment_add
from core.workflow.models import Event
from core.workflow.services import event_report, event_step
from services.contributions import CONFIGURE, MANAGE, RETROFIT
from services.errors import ServicesError
from services.models import ResubsidyRule, Retrofit, RetrofitStage
from services.models.retrofits import CLOSED_STAGES
from services.places import in_scope, region_for
from services.stages import STAGE_DAYS, STEPS, allowed_steps

MAX_ITEMS = 50


def resubsidy_rule(place_path: str, on: date) -> ResubsidyRule | None:
    """The rule in force on `on` for the district of `place_path` (its own, else the default)."""
    district_id = id_at(place_path, Region.Level.DISTRICT)
    rows = ResubsidyRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    return (
        rows.filter(district_id=district_id).order_by("-effective_from").first()
        or rows.filter(district__isnull=True).order_by("-effective_from").first()
    )


def resubsidy_rule_add(
    *,
    actor,
    district: int,
    years_between: int,
    max_subsidy: Decimal,
    effective_from: date,
    source: str = "",
    request=None,
) -> ResubsidyRule:
    place = region_for(actor, district, CONFIGURE, field="district")
    if place.level != Region.Level.DISTRICT:
        raise field_error("district", _("Re-subsidy rules are set per district."))
    with transaction.atomic():
        # The district's rule in force ends the day before the new one starts: never edited otherwise.
        ResubsidyRule.objects.filter(
            district=place, effective_to__isnull=True, effective_from__lt=effective_from
        ).update(effective_to=effective_from - timedelta(days=1))
        rule = ResubsidyRule.objects.create(
            district=place,
            years_between=years_between,
            max_subsidy=max_subsidy,
            effective_from=effective_from,
            source=source,
        )
        audit_record(
            actor=actor,
            action="services.resubsidy_rule.create",
            target=rule,
            region_path=place.path,
            changes=created(
                years_between=years_between, max_subsidy=max_subsidy, effective_from=effective_from
            ),
            request=request,
        )
    return rule


def _check_may_be_subsidized(household: Household, today: date) -> None:
    last = (
        Retrofit.objects.filter(household=household, subsidized_on__isnull=False)
        .order_by("-subsidized_on")
        .first()
    )
    rule = resubsidy_rule(household.region_path, today)
    if last is None or rule is None:
        return
    if last.subsidized_on > years_before(today, rule.years_between):
        again = last.subsidized_on.replace(year=last.subsidized_on.year + rule.years_between)
        raise Conflict(
            _("This household was subsidized on %(last)s; it may be again from %(again)s.")
            % {"last": last.subsidized_on, "again": again},
            code=ServicesError.RESUBSIDY_TOO_SOON,
        )


def stage_deadline(stage: str, now=None):
    return (now or timezone.now()) + timedelta(days=STAGE_DAYS[stage])


def retrofit_open(*, actor, household: int, request=None) -> Retrofit:
    """Open the household's plan, starting with the home's assessment; refused while it has an
    open one, and while the re-subsidy rule says it is too soon."""
    home = in_scope(actor, Household.objects.all(), household, MANAGE, field="household")
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=home.pk).first()
        if Retrofit.objects.filter(household=home).exclude(stage__in=CLOSED_STAGES).exists():
            raise Conflict(
                _("This household already has an open aging-adaptation plan."), code=ServicesError.PLAN_OPEN
            )
        _check_may_be_subsidized(home, timezone.localdate())
        event, _merged = event_report(
            reporter=actor,
            type_key=RETROFIT.key,
            source=Event.Source.DOMAIN,
            title=_("Aging adaptation"),
            house=home.house if home.house_id else None,
            grid=None if home.house_id else home.region,
            deadline=stage_deadline("assessment"),
            request=request,
        )
        # Audited as the event's report (workflow.event.report): one row for the opening.
        retrofit = Retrofit.objects.create(
            household=home, event=event, region=event.region, region_path=event.region_path
        )
    return retrofit


def _clean_items(items) -> tuple[list[dict], Decimal]:
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise field_error("items", _("List the plan's items (1 to 50), each with its cost."))
    cleaned, total = [], Decimal(0)
    for index, item in enumerate(items):
        try:
            name, cost = str(item["name"]).strip(), Decimal(str(item["cost"]))
        except (KeyError, TypeError, ArithmeticError) as bad:
            raise field_error(f"items.{index}", _("Each item has a name and a cost.")) from bad
        if not name or len(name) > 100 or not cost.is_finite() or not Decimal(0) <= cost <= Decimal(100000):
            raise field_error(f"items.{index}", _("Each item has a name and a cost from 0 to 100000."))
        cleaned.append({"name": name, "cost": str(cost.quantize(Decimal("0.01")))})
        total += cost
    return cleaned, total.quantize(Decimal("0.01"))


def retrofit_step(
    *,
    actor,
    retrofit: Retrofit,
    action: str,
    note: str = "",
    checklist=None,
    items=None,
    subsidy=None,
    request=None,
) -> Retrofit:
    """Sign off the current stage and enter the next, whose deadline the event now carries."""
    step = STEPS.get(action)
    if step is None:
        raise field_error("action", _("Unknown step."), code=ServicesError.STAGE_NOT_ALLOWED)
    with transaction.atomic():
        retrofit = Retrofit.objects.select_for_update().select_related("event").get(pk=retrofit.pk)
        allowed = allowed_steps(retrofit.stage)
        if action not in allowed:
            raise Conflict(
                _("This plan is at %(stage)s; allowed now: %(allowed)s.")
                % {"stage": retrofit.get_stage_display(), "allowed": ", ".join(allowed) or "—"},
                code=ServicesError.STAGE_NOT_ALLOWED,
                fields={"action": allowed},
            )
        from_stage = retrofit.stage
        if action == "assess":
            if not isinstance(checklist, dict) or not checklist:
                raise field_error("checklist", _("Record the assessment's checklist."))
            retrofit.checklist = checklist
        elif action == "plan":
            retrofit.items, retrofit.total_cost = _clean_items(items)
        elif action == "subsidize":
            retrofit.subsidy = _subsidy(retrofit, subsidy)
            retrofit.subsidized_on = timezone.localdate()
        elif action == "cancel" and not note.strip():
            raise field_error("note", _("Say why the plan is cancelled."))
        retrofit.stage = step.target
        deadline = stage_deadline(step.target) if step.target in STAGE_DAYS else None
        retrofit.event = event_step(
            event=retrofit.event,
            action=f"services.{action}",
            actor=actor,
            to_state=step.event_state,
            note=note[:1000],
            data={"from_stage": from_stage, "to_stage": step.target},
            deadline=deadline,
            request=request,
        )
        retrofit.save()
        RetrofitStage.objects.create(
            retrofit=retrofit, stage=from_stage, signed_off_by=actor, note=note[:1000]
        )
    return retrofit


def _subsidy(retrofit: Retrofit, subsidy) -> Decimal:
    try:
        amount = Decimal(str(subsidy))
    except ArithmeticError as bad:
        raise field_error("subsidy", _("Give the subsidy in yuan.")) from bad
    rule = resubsidy_rule(retrofit.region_path, timezone.localdate())
    cap = min(retrofit.total_cost, rule.max_subsidy) if rule else retrofit.total_cost
    if not amount.is_finite() or not Decimal(0) <= amount <= cap:
        raise field_error("subsidy", _("The subsidy is from 0 to %(cap)s yuan.") % {"cap": cap})
    return amount.quantize(Decimal("0.01"))


PHOTO_LABEL = "retrofit."


def retrofit_photo_add(*, actor, retrofit: Retrofit, upload, request=None):
    """A photo of the stage the plan is at (the home before, the works, the result): an
    attachment of its event labelled with the stage, so each stage keeps its own evidence."""
    return attachment_add(
        event=retrofit.event,
        upload=upload,
        actor=actor,
        label=f"{PHOTO_LABEL}{retrofit.stage}",
        request=request,
    )


def retrofit_photos(retrofit: Retrofit):
    return retrofit.event.attachments.filter(label__startswith=PHOTO_LABEL).order_by("id")
