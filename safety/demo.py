"""Community safety in `manage.py seed_demo`: devices in houses of the demo community (a few
offline, one with a recent alarm), an inspection round with open findings, an emergency plan,
key persons with their visit schedules followed by the demo worker for the street's 司法所, and
a patrol route in the grid lead's grid with a walked shift (one point missed) and one to come.
Through the same services as the API where a demo account can act; once."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from core.accounts.models import RoleAssignment, User
from core.extensions.demo import DemoScale
from core.regions.models import Region
from core.registry.models import House, Resident
from safety import builtins, emergency, inspections, patrols
from safety.alarms import alarms_raise
from safety.contributions import KEY_PERSON_LIAISON, KEY_PERSON_WORKER
from safety.models import ChecklistItem, Device, DevicePlacement, KeyPerson, Vendor

DEVICE_PER_RESIDENTS = 100
DEVICE_KINDS = ("smoke", "gas", "door", "water_meter", "emergency_button", "access_control")


def seed_safety(city: Region, *, scale: DemoScale) -> str:
    if Vendor.objects.filter(code="demo").exists():
        return ""
    community = (
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by("id").first()
    )
    accounts = {u.username: u for u in User.objects.filter(username__in=["worker", "gridlead", "street"])}
    if community is None or len(accounts) < 3:
        return ""
    builtins.install(ChecklistItem)
    houses = list(
        House.objects.filter(region_path__startswith=community.path).order_by("id")[
            : scale.per(DEVICE_PER_RESIDENTS, minimum=6)
        ]
    )
    if not houses:
        return ""
    vendor = Vendor.objects.create(code="demo", name="演示安防科技")
    now = timezone.now()
    devices = []
    for number, house in enumerate(houses):
        kind = DEVICE_KINDS[number % len(DEVICE_KINDS)]
        device = Device.objects.create(
            serial=f"DEMO-{number + 1:05d}",
            kind=kind,
            vendor=vendor,
            house=house,
            secret=f"demo-secret-{number + 1}",
            region_id=house.region_id,
            region_path=house.region_path,
            last_seen_at=now,
            offline_after=now + timedelta(hours=2),
            # A few have gone quiet: the offline list shows them.
            offline_since=now - timedelta(hours=3) if number % 5 == 4 else None,
        )
        DevicePlacement.objects.create(
            device=device,
            house=house,
            region_id=house.region_id,
            region_path=house.region_path,
            started_at=now,
        )
        devices.append(device)
    smoke = next(d for d in devices if d.kind == "smoke")
    alarms_raise(device=smoke, kinds=["smoke"] * 3, at=now)

    grid_worker = accounts["gridlead"]
    round_ = inspections.round_open(actor=grid_worker, kind="ebike", place_kind="house", house=houses[0].pk)
    inspections.finding_record(
        actor=grid_worker, round=round_, item="ebike_indoor_charging", severity="high", note="楼道内飞线充电"
    )
    inspections.finding_record(actor=grid_worker, round=round_, item="ebike_parking", severity="low")

    emergency.plan_add(
        actor=accounts["worker"],
        community=community.pk,
        title=f"{community.name}防汛应急预案",
        hazard="flood",
        effective_from=date(timezone.localdate().year, 5, 1),
        contacts=[{"name": "张建国", "phone": "13900000001", "duty": "总指挥"}],
        resources=[
            {"name": "沙袋", "quantity": 500, "unit": "个", "location": "社区仓库"},
            {"name": "救生衣", "quantity": 40, "unit": "件", "location": "社区仓库"},
        ],
    )
    people = _key_persons(community, accounts)
    patrolled = _patrols(community, accounts)
    summary = f"{len(devices)} devices, 1 alarm, 2 open hazards, 1 emergency plan, {people} key persons"
    summary += f", {patrolled}"
    return f"Demo safety: {summary}"


def _key_persons(community: Region, accounts: dict) -> int:
    worker, street = accounts["worker"], accounts["street"]
    today = timezone.localdate()
    RoleAssignment.objects.get_or_create(
        user=worker,
        role=KEY_PERSON_WORKER,
        region=community,
        defaults={"starts_on": today - timedelta(days=30)},
    )
    street_node = community.parent
    RoleAssignment.objects.get_or_create(
        user=street,
        role=KEY_PERSON_LIAISON,
        region=street_node,
        defaults={"starts_on": today - timedelta(days=30)},
    )
    residents = Resident.objects.filter(
        region_path__startswith=community.path, status=Resident.Status.ACTIVE
    ).order_by("-id")[:2]
    made = 0
    for resident, category in zip(residents, ("community_correction", "released"), strict=False):
        # Written directly: the roles granted just now are not yet in the demo accounts' cached scope.
        KeyPerson.objects.create(
            resident=resident,
            category=category,
            office=f"{street_node.name}司法所",
            assigned_worker=worker,
            liaison=street,
            visit_every_days=7,
            next_visit_due=today + timedelta(days=3 + made),
            period_ends_on=today + timedelta(days=180),
            region_id=resident.region_id,
            region_path=resident.region_path,
        )
        made += 1
    return made


# Around a compound in Wuhu (WGS-84): four gates about 150 m apart.
PATROL_ORIGIN = (118.3760, 31.3260)
PATROL_POINTS = (
    ("东门", 0.0, 0.0),
    ("南门", -0.0016, -0.0012),
    ("西门", -0.0032, 0.0),
    ("北门", -0.0016, 0.0012),
)


def _patrols(community: Region, accounts: dict) -> str:
    """A route of four points in the grid lead's grid; last night's shift walked (three points
    reached, one missed) and tonight's planned."""
    from core.accounts.roles import Role

    worker, lead = accounts["worker"], accounts["gridlead"]
    held = RoleAssignment.objects.filter(
        user=lead, role=Role.GRID_WORKER, region__path__startswith=community.path
    ).first()
    if held is None:
        return "no patrols"
    lon0, lat0 = PATROL_ORIGIN
    route = patrols.route_add(
        actor=worker,
        grid=held.region_id,
        name=f"{held.region.name}夜间巡逻线",
        points=[
            {"name": name, "longitude": lon0 + dx, "latitude": lat0 + dy} for name, dx, dy in PATROL_POINTS
        ],
    )
    now = timezone.now()
    walked = patrols.shift_plan(
        actor=worker,
        route=route,
        planned_start=now - timedelta(hours=20),
        planned_end=now - timedelta(hours=18),
        patroller=lead.pk,
    )
    for point in list(route.points.order_by("order"))[:3]:
        position = {"longitude": float(point.longitude), "latitude": float(point.latitude), "system": "wgs84"}
        patrols.check_in_record(actor=lead, shift=walked, point=point.pk, position=position)
    patrols.shift_complete(actor=lead, shift=walked, findings="南门路灯不亮，已报修")
    patrols.shift_plan(
        actor=worker,
        route=route,
        planned_start=now + timedelta(hours=4),
        planned_end=now + timedelta(hours=6),
        patroller=lead.pk,
    )
    return "1 patrol route with 2 shifts"
