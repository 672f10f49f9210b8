"""Demo data of community services for `manage.py seed_demo` (a DemoData contribution), made by
the demo accounts through the same services as the API, in the first demo community:

- meal subsidy rules for its district, two canteens with a month of lunches (last month, closed
  for the first canteen, whose correction opens this month's settlement);
- the home-service catalogue, a provider and orders (a visit done, one too short, one waiting);
- aging adaptations at every stage; volunteers with hours from their check-outs and from party
  building's pioneer service (handed over as party building hands them, core.extensions.handoffs);
- the street's social-work station with cases; rooms with bookings and an activity.

In proportion: one elder eating at the canteens per DINERS_PER_RESIDENTS residents (4 to 20).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.accounts.models import User
from core.extensions import handoffs
from core.extensions.demo import DemoScale
from core.regions.models import Region
from core.registry.models import Household, Resident
from core.registry.tags import years_before
from services import homecare, meals, retrofits, social, timebank, venues, volunteers
from services.models import DirectoryEntry, HomeService, MealPoint, Provider, ResubsidyRule, Station, Visit

DINERS_PER_RESIDENTS = 100
CATALOGUE = [
    ("cleaning", "助洁（保洁）", 90, "60", "30"),
    ("bathing", "助浴", 60, "80", "40"),
    ("medical_escort", "助医陪诊", 120, "100", "50"),
    ("haircut", "理发", 20, "20", "10"),
]
DIRECTORY = [
    (
        "meals",
        "老年助餐",
        "长者食堂、助餐点就餐或送餐上门",
        "60岁以上老人；低保、特困、高龄老人享受更多补贴",
        "按补贴后价格，每餐3至12元",
        "持身份证到长者食堂登记",
    ),
    (
        "home_care",
        "居家上门服务",
        "助洁、助浴、助医、理发等上门服务",
        "60岁以上居家老人",
        "按目录价格，符合条件者享受补贴",
        "向社区服务站或网格员提出",
    ),
    (
        "aging_adaptation",
        "适老化改造",
        "一户一方案：评估、改造、验收、补贴",
        "高龄、失能、残疾老人家庭",
        "符合条件者按规定补贴",
        "向社区提出申请，由评估机构入户评估",
    ),
]


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_services(city: Region, *, scale: DemoScale) -> str:
    community = (
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by("id").first()
    )
    accounts = {u.username: u for u in User.objects.filter(username__in=["worker", "district"])}
    if community is None or len(accounts) < 2 or MealPoint.objects.under(community.path).exists():
        return ""
    grid = Region.objects.filter(parent=community).order_by("id").first() or community
    worker, district = accounts["worker"], accounts["district"]
    today = timezone.localdate()
    elders = list(
        Resident.objects.active()
        .under(community.path)
        .filter(birth_date__lte=years_before(today, 60))
        .order_by("id")[: min(20, scale.per(DINERS_PER_RESIDENTS, minimum=4))]
    )
    parts = [
        _meals(community, grid, worker, district, elders, today),
        _home_services(community, grid, worker, elders),
        _retrofits(community, worker),
        _volunteers(community, grid, worker),
        _social_work(community, worker),
        _venues(grid, worker, elders),
    ]
    return "Demo services: " + "; ".join(part for part in parts if part)


def _meals(community, grid, worker, district, elders, today) -> str:
    district_region = community.parent.parent
    since = date(today.year - 1, 1, 1)
    for status, min_age, gov, discount in (
        ("age", 60, "3", "1"),
        ("age", 80, "6", "2"),
        ("registry.dibao", 60, "8", "2"),
    ):
        meals.meal_rule_add(
            actor=district,
            district=district_region.pk,
            status=status,
            min_age=min_age,
            government_share=Decimal(gov),
            provider_discount=Decimal(discount),
            effective_from=since,
            source="演示：区民政局助餐补贴标准",
        )
    points = [
        meals.meal_point_create(
            actor=worker,
            region=grid.pk,
            name=name,
            kind="canteen",
            operator=operator,
            address=f"{community.name}服务中心",
            capacity=60,
            hours="11:00-13:00, 17:00-18:30",
            price=Decimal("15.00"),
            menu="两荤一素一汤",
        )
        for name, operator in (("长者食堂", "幸福餐饮有限公司"), ("邻里助餐点", "安康养老服务中心"))
    ]
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - timedelta(days=1)).replace(day=1)
    day, served = last_month, 0
    while day < first_of_month:
        for index, elder in enumerate(elders):
            point = points[index % 2]
            method = "delivered" if index % 5 == 4 else "id_card"
            meals.meal_record(
                actor=worker, point=point.pk, resident=elder.pk, period="lunch", method=method, served_on=day
            )
            served += 1
        day += timedelta(days=1)
    closed = meals.settlement_close(actor=worker, point=points[0].pk, month=last_month)
    meals.settlement_correct(
        actor=worker, settlement=closed, amount=Decimal("-3.00"), note="演示：一次重复刷卡"
    )
    return f"{len(points)} canteens, {served} meals, 1 settlement closed and this month's open"


def _home_services(community, grid, worker, elders) -> str:
    kinds = [
        HomeService.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "min_minutes": minutes,
                "price": Decimal(price),
                "subsidy": Decimal(subsidy),
            },
        )[0]
        for code, name, minutes, price, subsidy in CATALOGUE
    ]
    for code, name, description, who, cost, how in DIRECTORY:
        DirectoryEntry.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "who": who, "cost": cost, "how_to_ask": how},
        )
    provider = Provider.objects.create(
        region=community, region_path=community.path, name="安康居家养老服务中心"
    )
    orders = [
        homecare.order_create(actor=worker, resident=elder.pk, service=kind.code, provider=provider.pk)
        for elder, kind in zip(elders[:3], itertools.cycle(kinds), strict=False)
    ]
    start = timezone.now() - timedelta(hours=3)
    for order, minutes in zip(orders[:2], (95, 20), strict=False):
        # The demo's visits already happened: check in and out as the worker's phone would have.
        homecare.visit_check_in(
            actor=worker, order=order, longitude=Decimal("118.376"), latitude=Decimal("31.326")
        )
        Visit.objects.filter(order=order).update(checked_in_at=start)
        homecare.visit_check_out(
            actor=worker,
            order=order,
            longitude=Decimal("118.376"),
            latitude=Decimal("31.326"),
            at=start + timedelta(minutes=minutes),
        )
    if orders:
        homecare.visit_rate(actor=worker, order=orders[0], rating=5, comment="服务细致")
    return f"{len(orders)} home-service orders"


def _retrofits(community, worker) -> str:
    ResubsidyRule.objects.get_or_create(
        district=None,
        effective_from=date(2020, 1, 1),
        defaults={"years_between": 5, "max_subsidy": Decimal(3000)},
    )
    households = list(Household.objects.under(community.path).order_by("id")[:6])
    steps = [
        ("assess", {"checklist": {"卫生间": "缺扶手", "地面": "湿滑"}}),
        ("plan", {"items": [{"name": "卫生间扶手", "cost": "800"}, {"name": "防滑地面", "cost": "1500"}]}),
        ("works", {"note": "施工完成"}),
        ("accept", {"note": "验收合格"}),
        ("subsidize", {"subsidy": Decimal(2000)}),
    ]
    for reached, household in enumerate(households):
        retrofit = retrofits.retrofit_open(actor=worker, household=household.pk)
        for action, fields in steps[:reached]:
            retrofit = retrofits.retrofit_step(actor=worker, retrofit=retrofit, action=action, **fields)
    return f"{len(households)} aging adaptations at every stage"


def _volunteers(community, grid, worker) -> str:
    people = list(Resident.objects.active().under(community.path).order_by("-id")[:5])
    registered = [
        volunteers.volunteer_register(actor=worker, region=grid.pk, resident=p.pk, skills="助老")
        for p in people
    ]
    team = volunteers.team_create(
        actor=worker, region=grid.pk, name="邻里守望志愿服务队", members=[v.pk for v in registered]
    )
    start = _aware(timezone.localdate() - timedelta(days=3), 9)
    project = volunteers.project_file(
        actor=worker,
        region=grid.pk,
        title="敬老助餐志愿服务",
        place="长者食堂",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        cap=10,
        team=team.pk,
    )
    for index, volunteer in enumerate(registered):
        signup = volunteers.signup_create(actor=worker, project=project, volunteer=volunteer.pk)
        volunteers.signup_check_in(actor=worker, project=project, signup=signup.pk, at=start)
        volunteers.signup_check_out(
            actor=worker, project=project, signup=signup.pk, at=start + timedelta(hours=1 + index % 3)
        )
    # Party building's pioneer service (党员先锋岗), handed over as party building does it.
    with transaction.atomic():
        for person in people[:3]:
            handoffs.send(
                handoffs.SERVICE_HOURS,
                handoffs.ServiceHours(
                    hours=Decimal(2),
                    served_on=start.date(),
                    activity="党员先锋岗：政策宣讲",
                    source=f"party_building.pioneer_service:demo-{person.pk}",
                    resident_id=person.pk,
                ),
                idempotency_key=f"demo-pioneer:{person.pk}",
            )
    timebank.time_bank_open(
        actor=worker,
        region=community.pk,
        name=f"{community.name}时间银行",
        starts_on=start.date() - timedelta(days=30),
    )
    return f"{len(registered)} volunteers with hours from check-outs and party building, a time bank"


def _social_work(community, worker) -> str:
    street = community.parent
    station = Station.objects.create(region=street, region_path=street.path, name=f"{street.name}社工站")
    people = list(
        Resident.objects.active()
        .under(community.path)
        .filter(birth_date__isnull=False)
        .order_by("birth_date", "id")[:2]
    )
    for person in people:
        case = social.case_open(
            actor=worker, station=station.pk, resident=person.pk, title="独居高龄老人关爱"
        )
        social.case_write(actor=worker, case=case, kind="assessment", text="独居，行动不便，需要定期探访")
    return f"1 social-work station with {len(people)} cases"


def _venues(grid, worker, elders) -> str:
    rooms = [
        venues.room_create(
            actor=worker,
            region=grid.pk,
            name=name,
            capacity=capacity,
            equipment=kit,
            opens_at=time(8),
            closes_at=time(21),
        )
        for name, capacity, kit in (("多功能活动室", 60, "投影、音响"), ("议事室", 15, "会议桌"))
    ]
    tomorrow = timezone.localdate() + timedelta(days=1)
    for room, hour, purpose in (
        (rooms[0], 9, "老年大学书法课"),
        (rooms[0], 14, "健康讲座"),
        (rooms[1], 10, "居民议事会"),
    ):
        venues.booking_create(
            actor=worker,
            room=room.pk,
            starts_at=_aware(tomorrow, hour),
            ends_at=_aware(tomorrow, hour + 2),
            purpose=purpose,
        )
    activity = venues.activity_create(
        actor=worker,
        region=grid.pk,
        title="健康讲座",
        starts_at=_aware(tomorrow, 14),
        ends_at=_aware(tomorrow, 16),
        cap=30,
        room=rooms[0].pk,
    )
    for elder in elders[:5]:
        venues.activity_signup(actor=worker, activity=activity, resident=elder.pk)
    return f"{len(rooms)} rooms with 3 bookings and an activity"
