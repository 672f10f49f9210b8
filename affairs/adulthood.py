"""Support for minors ends at 18 (the article: 特困 support for minors raised from 16 to 18).

孤儿 and 事实无人抚养儿童 are conditions of childhood: their benefits lapse on the 18th birthday,
by the daily task (affairs.benefits.lapse_at_adult_age writes; this module only says when).
A 特困 minor may still qualify as an adult (unable to work): their benefit is re-checked on the
18th birthday instead of waiting for the yearly date.
"""

from __future__ import annotations

from datetime import date

from core.registry.contributions import ADULT_AGE

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
