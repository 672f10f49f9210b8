"""Rows of community services for tests, written directly (no audit row, no rules run)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.registry.models import House, Household
from services import models as m
from tests.world import make_resident_record

_serial = itertools.count(1)
SERIAL = _serial


def elder(grid, *, birth: date = date(1940, 1, 1), household=None, name: str = "李奶奶"):
    return make_resident_record(grid, name=name, birth=birth, household=household)


def household(grid):
    house = House.objects.create(region=grid, region_path=grid.path, address=f"{grid.name}{next(_serial)}号")
    home = Household.objects.create(region=grid, region_path=grid.path, house=house)
    person = make_resident_record(grid, name="户主", birth=date(1945, 1, 1), house=house, household=home)
    home.householder = person
    home.save(update_fields=["householder"])
    return home


def volunteer(grid, resident=None):
    return m.Volunteer.objects.create(
        region=grid, region_path=grid.path, resident=resident, name_encrypted="" if resident else "赵志愿",
        joined_on=timezone.localdate(),
    )  # fmt: skip


def time_bank(region, *, starts_on: date = date(2020, 1, 1)):
    return m.TimeBank.objects.create(
        region=region, region_path=region.path, name="时间银行", starts_on=starts_on
    )


def project(grid, *, cap: int = 10):
    start = timezone.now() - timedelta(hours=3)
    return m.ServiceProject.objects.create(
        region=grid, region_path=grid.path, title="清洁家园", place="小区广场", starts_at=start,
        ends_at=start + timedelta(hours=4), cap=cap, filed_on=timezone.localdate(),
    )  # fmt: skip


def hours(grid, *, amount: str = "2", source_domain: str = "services"):
    person = volunteer(grid)
    return m.HoursEntry.objects.create(
        volunteer=person, region=grid, region_path=grid.path, hours=Decimal(amount),
        served_on=timezone.localdate(), activity="测试服务", source="tests", source_domain=source_domain,
        key=f"tests:{next(_serial)}",
    )  # fmt: skip


def meal_point(grid, *, price: str = "15.00"):
    return m.MealPoint.objects.create(
        region=grid, region_path=grid.path, name=f"长者食堂{next(_serial)}", operator="幸福餐饮公司",
        address="滨江路1号", capacity=60, hours="11:00-13:00", price=Decimal(price),
    )  # fmt: skip


def meal_rule(
    district, *, status="age", min_age=60, gov="5", discount="1", since=date(2020, 1, 1), until=None
):
    return m.MealSubsidyRule.objects.create(
        district=district, status=status, min_age=min_age, government_share=Decimal(gov),
        provider_discount=Decimal(discount), effective_from=since, effective_to=until,
    )  # fmt: skip


def meal(point, resident, *, on: date | None = None, period: str = "lunch", gov: str = "5"):
    return m.MealRecord.objects.create(
        point=point, resident=resident, region=point.region, region_path=point.region_path,
        served_on=on or timezone.localdate(), period=period, method="id_card", price=point.price,
        government_share=Decimal(gov), provider_discount=Decimal(0), elder_pays=point.price - Decimal(gov),
    )  # fmt: skip


def room(grid, *, opens: time = time(8), closes: time = time(21)):
    return m.Room.objects.create(
        region=grid,
        region_path=grid.path,
        name=f"活动室{next(_serial)}",
        capacity=30,
        opens_at=opens,
        closes_at=closes,
    )


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def booking(grid):
    where = room(grid)
    return m.Booking.objects.create(
        room=where,
        region=grid,
        region_path=grid.path,
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(10),
        purpose="会议",
    )


def activity(grid, *, cap: int = 20):
    return m.Activity.objects.create(
        region=grid,
        region_path=grid.path,
        title="健康讲座",
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(16),
        cap=cap,
    )


def home_service(code: str | None = None, *, min_minutes: int = 60):
    code = code or f"svc{next(_serial)}"
    return m.HomeService.objects.create(
        code=code, name="助浴", min_minutes=min_minutes, price=Decimal(80), subsidy=Decimal(40)
    )


def provider(region):
    return m.Provider.objects.create(
        region=region, region_path=region.path, name=f"安康居家服务{next(_serial)}"
    )


def order(grid, *, service=None, by=None, resident=None):
    person = resident or elder(grid)
    return m.HomeOrder.objects.create(
        resident=person,
        service=service or home_service(),
        provider=by or provider(grid),
        region=grid,
        region_path=grid.path,
    )


def station(region):
    return m.Station.objects.create(region=region, region_path=region.path, name=f"社工站{next(_serial)}")


def case(grid, *, involves_minor: bool = False, resident=None):
    person = resident or elder(grid)
    return m.SocialCase.objects.create(
        station=station(grid), resident=person, region=grid, region_path=grid.path,
        involves_minor=involves_minor, title="困境老人个案", opened_on=timezone.localdate(),
    )  # fmt: skip


def directory_entry(code: str | None = None):
    code = code or f"entry{next(_serial)}"
    return m.DirectoryEntry.objects.create(
        code=code,
        name="助餐服务",
        description="长者食堂就餐",
        who="60岁以上老人",
        cost="按补贴后价格",
        how_to_ask="到社区服务站申请",
    )
