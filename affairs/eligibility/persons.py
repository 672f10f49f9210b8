"""Rules judged on one beneficiary: the two disability subsidies, the longevity allowance, and
the orphan and de-facto unattended child assessments."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from affairs.eligibility.context import Context, Finding, age_at_least, age_on, money
from affairs.eligibility.household import low_income_line
from core.registry.models import Resident

LOSS = frozenset({"deceased", "missing"})
UNABLE = LOSS | {"severely_disabled", "seriously_ill", "imprisoned", "compulsory_detox", "other_unable"}


def _grant(found: Finding, person: Resident, amount: Decimal) -> Finding:
    found.eligible, found.covered = True, [person.pk]
    found.shares = {person.pk: money(amount)}
    found.monthly = money(amount)
    return found


def _beneficiary(ctx: Context, found: Finding, key: str = "resident") -> Resident | None:
    person = ctx.beneficiary(key)
    if person is None:
        found.reasons.append(_("The beneficiary is not given or not found."))
    return person


def disability_grade(ctx: Context, person: Resident) -> int | None:
    """The grade declared on the application, else that of the person's current disability tag."""
    if ctx.details.get("disability_grade"):
        return int(ctx.details["disability_grade"])
    for tag in ctx.current_tags([person.pk], ["registry.disability"]):
        grade = tag.attributes.get("grade")
        if grade:
            return int(grade)
    return None


def _low_income_household(ctx: Context) -> bool:
    """A 低保 or low-income household: a member holds a current dibao or low_income tag, or the
    declared per-capita income is below the low-income line."""
    application = ctx.application
    residents = {m.resident_id for m in ctx.members}
    residents |= set(
        Resident.objects.filter(household_id=application.household_id).values_list("pk", flat=True)
    )
    if ctx.current_tags(residents, ["registry.dibao", "registry.low_income"]):
        return True
    return ctx.per_capita is not None and ctx.per_capita < low_income_line(ctx.standard("dibao"))


def disability_living(ctx: Context) -> Finding:
    standard = ctx.standard("disability_living")
    found = Finding(eligible=False, standard=standard, per_capita=ctx.per_capita)
    person = _beneficiary(ctx, found)
    if person is not None and disability_grade(ctx, person) is None:
        found.reasons.append(_("The beneficiary has no disability on record and none is declared."))
    if not _low_income_household(ctx):
        found.reasons.append(
            _("The household is neither a minimum-living-allowance nor a low-income household.")
        )
    if found.reasons:
        return found
    found.reasons.append(_("A disabled person in a low-income household."))
    return _grant(found, person, standard.amount)


def disability_care(ctx: Context) -> Finding:
    standard = ctx.standard("disability_care")
    grades = [int(g) for g in standard.parameters.get("grades", [1, 2])]
    found = Finding(eligible=False, standard=standard)
    person = _beneficiary(ctx, found)
    if person is None:
        return found
    grade = disability_grade(ctx, person)
    if grade not in grades:
        found.reasons.append(
            _("The disability grade must be one of %(grades)s.") % {"grades": ", ".join(map(str, grades))}
        )
        return found
    found.reasons.append(_("Disability grade %(grade)s.") % {"grade": grade})
    return _grant(found, person, standard.amount)


def longevity(ctx: Context) -> Finding:
    standard = ctx.standard("longevity")
    bands = {int(age): Decimal(str(amount)) for age, amount in standard.parameters.get("bands", {}).items()}
    found = Finding(eligible=False, standard=standard)
    person = _beneficiary(ctx, found)
    if person is None:
        return found
    reached = [age for age in bands if age_at_least(person.birth_date, age, ctx.on)]
    if person.birth_date is None:
        found.reasons.append(_("The beneficiary's birth date is not recorded."))
    elif not reached:
        found.reasons.append(
            _("The beneficiary is under %(age)s on the application date.") % {"age": min(bands, default=80)}
        )
    if found.reasons:
        return found
    found.reasons.append(
        _("Aged %(age)s on the application date.") % {"age": age_on(person.birth_date, ctx.on)}
    )
    return _grant(found, person, bands[max(reached)])


def _child(ctx: Context, found: Finding) -> Resident | None:
    adult_age = int(found.standard.parameters.get("adult_age", 18))
    child = _beneficiary(ctx, found, "child")
    if child is None:
        return None
    if child.birth_date is None:
        found.reasons.append(_("The child's birth date is not recorded."))
    elif age_at_least(child.birth_date, adult_age, ctx.on):
        found.reasons.append(_("The child is %(age)s or over on the application date.") % {"age": adult_age})
    return child


def _parents(ctx: Context) -> tuple[str | None, str | None]:
    return ctx.details.get("father_status"), ctx.details.get("mother_status")


def orphan(ctx: Context) -> Finding:
    found = Finding(eligible=False, standard=ctx.standard("orphan"))
    child = _child(ctx, found)
    if not all(status in LOSS for status in _parents(ctx)):
        found.reasons.append(_("Both parents must be deceased or declared missing."))
    if found.reasons:
        return found
    found.reasons.append(_("Both parents are deceased or missing."))
    return _grant(found, child, found.standard.amount)


def unattended_child(ctx: Context) -> Finding:
    found = Finding(eligible=False, standard=ctx.standard("unattended_child"))
    child = _child(ctx, found)
    statuses = _parents(ctx)
    if all(status in LOSS for status in statuses):
        found.reasons.append(_("Both parents are deceased or missing: apply for the orphan assessment."))
    elif not all(status in UNABLE for status in statuses):
        found.reasons.append(_("A parent is able to raise the child."))
    if found.reasons:
        return found
    found.reasons.append(_("Neither parent is able to raise the child."))
    return _grant(found, child, found.standard.amount)
