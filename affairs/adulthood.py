"""Support for minors ends at 18 (the article: 特困 support for minors raised from 16 to 18).

孤儿 and 事实无人抚养儿童 are conditions of childhood: their benefits lapse on the 18th birthday,
by the daily task. A 特困 minor may still qualify as an adult (unable to work): their benefit is
re-checked on the 18th birthday instead of waiting for the yearly date.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from affairs.models import Benefit
from core.registry.contributions import ADULT_AGE
from core.registry.tags import years_before

# Items whose benefit ends with childhood, and those re-checked when the child comes of age.
ENDS_AT_ADULTHOOD = frozenset({"orphan", "unattended_child"})
CHECKED_AT_ADULTHOOD = frozenset({"tekun"}) | ENDS_AT_ADULTHOOD


def coming_of_age(birth_date: date | None) -> date | None:
    if birth_date is None:
        return None
    try:
        return birth_date.replace(year=birth_date.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        return birth_date.replace(year=birth_date.year + ADULT_AGE, day=28)


def first_check(item, resident, on: date, yearly: date | None) -> date | None:
    """The first re-check: the yearly date, or the 18th birthday of a minor if it comes first."""
    adult_on = coming_of_age(resident.birth_date) if item.eligibility in CHECKED_AT_ADULTHOOD else None
    if adult_on is None or adult_on <= on:
        return yearly
    return min(d for d in (yearly, adult_on) if d is not None)


def lapse_at_adult_age(today: date) -> int:
    """End the childhood benefits of everyone who has turned 18, as of their birthday."""
    from affairs.benefits import benefit_end

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
