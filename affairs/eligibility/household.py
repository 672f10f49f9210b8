"""Rules judged on the household's declared incomes and assets: 低保 (with the single-person
rule for low-income families), 特困供养 and 临时救助."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from affairs.eligibility.context import Context, Finding, age_at_least, money, parameter
from affairs.models import AssistanceStandard
from core.pii.masking import mask_name
from core.registry.contributions import ELDERLY_AGE


def _asset_failures(ctx: Context, standard: AssistanceStandard) -> list[str]:
    """Assets within the limits: per member at most `asset_months` months of the standard
    (exactly at the limit passes), no non-essential vehicle, no house beyond the one lived in."""
    application, failures = ctx.application, []
    months = parameter(standard, "asset_months", 24)
    limit = money(months * standard.amount)
    if application.financial_assets > limit * len(ctx.members):
        failures.append(
            _("Financial assets per member exceed %(limit)s yuan (%(months)s months of the standard).")
            % {"limit": limit, "months": months}
        )
    if application.vehicles:
        failures.append(_("The household declares a non-essential vehicle."))
    if application.extra_houses:
        failures.append(_("The household declares a house beyond the one it lives in."))
    return failures


def split(total: Decimal, resident_ids: list[int]) -> dict[int, Decimal]:
    """`total` in equal shares to the fen; the first members take the cents left over."""
    even = (total / len(resident_ids)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    left = int((total - even * len(resident_ids)) * 100)
    return {rid: even + (Decimal("0.01") if i < left else 0) for i, rid in enumerate(resident_ids)}


def low_income_line(standard: AssistanceStandard) -> Decimal:
    return money(parameter(standard, "low_income_factor", "1.5") * standard.amount)


def dibao(ctx: Context) -> Finding:
    standard = ctx.standard("dibao")
    found = Finding(eligible=False, standard=standard, per_capita=ctx.per_capita)
    if not ctx.members:
        found.reasons.append(_("No household member is declared."))
        return found
    per_capita, amount = ctx.per_capita, standard.amount
    figures = {"income": money(per_capita), "standard": amount}
    failures = _asset_failures(ctx, standard)
    income_below = per_capita < amount
    if not income_below:
        failures.insert(
            0, _("Per-capita income %(income)s is not below the standard %(standard)s.") % figures
        )
    covered = [m for m in ctx.members if m.covered]
    if not covered:
        failures.append(_("No member is covered by the application."))
    if not failures:
        # Rounded once, on the household's amount; the members' shares split it to the fen.
        found.eligible, found.covered = True, [m.resident_id for m in covered]
        found.monthly = money((amount - per_capita) * len(covered))
        found.shares = split(found.monthly, found.covered)
        found.reasons.append(_("Per-capita income %(income)s is below the standard %(standard)s.") % figures)
        return found
    found.reasons.extend(failures)
    if per_capita < low_income_line(standard) and not _asset_failures(ctx, standard):
        _single_person_households(found, covered, amount)
    return found


def _single_person_households(found: Finding, covered, amount: Decimal) -> None:
    """A low-income family's seriously ill or severely disabled members, each counted as a
    single-person household on their own income."""
    for member in covered:
        if (member.seriously_ill or member.severely_disabled) and member.monthly_income < amount:
            found.singles.append(member.resident_id)
            found.shares[member.resident_id] = money(amount - member.monthly_income)
    if found.singles:
        found.eligible, found.covered = True, list(found.singles)
        found.monthly = sum(found.shares.values(), Decimal(0))
        found.reasons.append(
            _(
                "A low-income family: %(count)s seriously ill or severely disabled member(s) are "
                "counted as single-person households."
            )
            % {"count": len(found.singles)}
        )


def tekun(ctx: Context) -> Finding:
    standard = ctx.standard("tekun")
    support_age = int(standard.parameters.get("support_age", 18))
    elderly_age = int(standard.parameters.get("elderly_age", ELDERLY_AGE))
    covered = [m for m in ctx.members if m.covered]
    found = Finding(eligible=False, standard=standard, per_capita=ctx.per_capita)
    if not covered:
        found.reasons.append(_("No member is covered by the application."))
    if "has_supporter" not in ctx.details:
        found.reasons.append(_("Whether there is a supporter is not declared."))
    elif ctx.details["has_supporter"] and ctx.details.get("supporter_able", True):
        found.reasons.append(_("A person obliged to support them is able to."))
    for member in covered:
        birth, name = member.resident.birth_date, mask_name(member.resident.name)
        supported_age = (birth is not None and not age_at_least(birth, support_age, ctx.on)) or age_at_least(
            birth, elderly_age, ctx.on
        )
        if member.able_to_work and not supported_age:
            found.reasons.append(
                _("%(name)s is able to work and is neither under %(minor)s nor %(elderly)s or over.")
                % {"name": name, "minor": support_age, "elderly": elderly_age}
            )
        if member.monthly_income > 0:
            found.reasons.append(_("%(name)s has an income.") % {"name": name})
    if found.reasons:
        return found
    found.eligible, found.covered = True, [m.resident_id for m in covered]
    found.shares = {m.resident_id: money(standard.amount) for m in covered}
    found.monthly = money(standard.amount) * len(covered)
    found.reasons.append(_("No ability to work, no income and no able supporter."))
    return found


def temporary(ctx: Context) -> Finding:
    """A one-off amount: what was asked, at most `max_months` months of the 低保 standard."""
    from affairs.eligibility.standards import standard_summary

    standard, dibao_standard = ctx.standard("temporary"), ctx.standard("dibao")
    found = Finding(eligible=False, standard=standard, per_capita=ctx.per_capita)
    found.extra["reference_standard"] = standard_summary(dibao_standard)
    line = low_income_line(dibao_standard)
    if not ctx.members:
        found.reasons.append(_("No household member is declared."))
    elif ctx.per_capita >= line:
        found.reasons.append(
            _("Per-capita income %(income)s is not below the low-income line %(line)s.")
            % {"income": money(ctx.per_capita), "line": line}
        )
    requested = ctx.details.get("requested_amount")
    if requested is None:
        found.reasons.append(_("No amount is requested."))
    if found.reasons:
        return found
    cap = money(parameter(standard, "max_months", 6) * dibao_standard.amount)
    found.eligible = True
    found.one_off = min(money(requested), cap)
    found.covered = [m.resident_id for m in ctx.members if m.covered]
    found.reasons.append(
        _("Per-capita income %(income)s is below the low-income line %(line)s; at most %(cap)s yuan.")
        % {"income": money(ctx.per_capita), "line": line, "cap": cap}
    )
    return found
