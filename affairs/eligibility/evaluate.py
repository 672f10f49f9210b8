"""The eligibility check of an application: the item's rule, against the standards in force on
the application date, as a JSON-serialisable record kept on the application."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from affairs.eligibility import household, persons
from affairs.eligibility.context import Context, Finding
from affairs.models import Application, ServiceItem

# ServiceItem.eligibility → the rule (a callable(Context) -> Finding).
CHECKS: dict[str, Callable[[Context], Finding]] = {
    "dibao": household.dibao,
    "tekun": household.tekun,
    "temporary": household.temporary,
    "disability_living": persons.disability_living,
    "disability_care": persons.disability_care,
    "longevity": persons.longevity,
    "orphan": persons.orphan,
    "unattended_child": persons.unattended_child,
}
# The catalogue names the checks an item may use; each has its rule here, and no rule is unnamed.
if set(CHECKS) != ServiceItem.ELIGIBILITY_CHECKS:
    raise ImproperlyConfigured(
        f"Checks named without a rule, or rules not named: {set(CHECKS) ^ ServiceItem.ELIGIBILITY_CHECKS}"
    )


def evaluate(application: Application) -> dict:
    """{"eligible", "reasons", "standard", "per_capita_income", "monthly_amount",
    "one_off_amount", "covered", "singles", "shares"}; amounts are strings in yuan. Raises 409
    `no_standard` when no standard is in force on the application date."""
    rule = CHECKS.get(application.item.eligibility or "")
    if rule is None:
        return Finding(eligible=True, reasons=[_("This item has no built-in eligibility check.")]).as_json()
    return rule(Context(application)).as_json()
