"""Support for minors ends at 18: childhood benefits lapse on the 18th birthday, a 特困 minor is
re-checked then (they may still qualify as an adult unable to work)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from affairs.adulthood import first_check
from affairs.benefits import add_months, lapse_at_adult_age
from affairs.models import Benefit, ServiceItem
from core.registry.models import ResidentTag
from core.registry.tags import years_before
from tests.affairs.conftest import person

TODAY = timezone.localdate()


def benefit(world, code: str, resident) -> Benefit:
    item = ServiceItem.objects.get(code=code)
    tag = ResidentTag.objects.create(
        resident=resident, tag=item.benefit_tag, source="benefit", started_on=TODAY - timedelta(days=300)
    )
    return Benefit.objects.create(
        item=item,
        resident=resident,
        household=world.household,
        region_path=world.household.region_path,
        monthly_amount=Decimal("1100"),
        tag=tag,
        started_on=TODAY - timedelta(days=300),
    )


def test_childhood_benefits_lapse_on_the_18th_birthday_and_keep_their_history(world):
    turned = person(world.household, "钱成年", years_before(TODAY, 18) - timedelta(days=2))
    still_minor = person(world.household, "钱未成年", years_before(TODAY, 18) + timedelta(days=2))
    orphan = benefit(world, "orphan", turned)
    young = benefit(world, "orphan", still_minor)
    tekun = benefit(world, "tekun", turned)
    assert lapse_at_adult_age(TODAY) == 1
    assert lapse_at_adult_age(TODAY) == 0
    orphan.refresh_from_db()
    assert orphan.ended_on == turned.birth_date.replace(year=turned.birth_date.year + 18)
    assert orphan.end_reason == "lapsed" and orphan.tag.ended_on == orphan.ended_on
    young.refresh_from_db()
    tekun.refresh_from_db()
    assert young.ended_on is None and tekun.ended_on is None


def test_a_minors_first_recheck_is_their_18th_birthday_if_it_comes_first(world):
    tekun = ServiceItem.objects.get(code="tekun")
    dibao = ServiceItem.objects.get(code="dibao")
    yearly = add_months(TODAY, 12)
    soon = person(world.household, "孙快成年", years_before(TODAY, 18) + timedelta(days=40))
    assert first_check(tekun, soon, TODAY, yearly) == date(
        soon.birth_date.year + 18, soon.birth_date.month, soon.birth_date.day
    )
    assert first_check(dibao, soon, TODAY, yearly) == yearly  # 低保 does not end with childhood
    assert first_check(tekun, world.applicant, TODAY, yearly) == yearly  # an adult already
