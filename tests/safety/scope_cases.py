"""Scope-matrix cases of community safety (/api/v1/safety/)."""

from __future__ import annotations

import itertools

from tests.scope_matrix.cases import Case, register
from tests.world import World

_serial = itertools.count(1)


def _house(world: World, community):
    from core.registry.models import House

    grid = world.grid_of(community)
    return House.objects.create(region=grid, region_path=grid.path, address=f"安全路{next(_serial)}号")


def _device(world: World, community):
    from tests.safety.factories import device

    return device(_house(world, community))


def _device_payload(world: World, community) -> dict:
    from tests.safety.factories import vendor

    vendor()
    return {
        "serial": f"MX-{next(_serial)}",
        "kind": "smoke",
        "vendor": "acme",
        "house": _house(world, community).pk,
    }


def _alarm(world: World, community):
    from django.utils import timezone

    from safety.models import Alarm

    made = _device(world, community)
    now = timezone.now()
    return Alarm.objects.create(
        device=made,
        house_id=made.house_id,
        region_id=made.region_id,
        region_path=made.region_path,
        kind="smoke",
        first_at=now,
        last_at=now,
    )


register(
    "safety-device",
    case=Case(
        make=_device,
        payload=_device_payload,
        update_payload=lambda world, community, obj: {"house": _house(world, community).pk},
        success={"move": 200, "retire": 200},
    ),
)
register("safety-alarm", case=Case(make=_alarm))


# hazard inspections --------------------------------------------------------------------------------


def _checklist_item(world: World, community):
    from datetime import date

    from safety.models import ChecklistItem

    return ChecklistItem.objects.create(
        kind="fire", code=f"matrix-{next(_serial)}", text="测试项", effective_from=date(2026, 1, 1)
    )


register(
    "safety-checklist-item",
    case=Case(
        make=_checklist_item,
        unscoped=True,
        payload=lambda world, community: {
            "kind": "fire",
            "code": f"mx-{next(_serial)}",
            "text": "测试项",
            "effective_from": "2026-01-01",
        },
        update_payload=lambda world, community, obj: {"effective_to": "2026-12-31"},
    ),
)


def _round(world: World, community):
    from django.utils import timezone

    from safety.models import InspectionRound

    house = _house(world, community)
    return InspectionRound.objects.create(
        kind="ebike",
        place_kind="house",
        house=house,
        place_key=f"house:{house.pk}",
        inspector=world.grid_worker,
        inspected_on=timezone.localdate(),
        region=house.region,
        region_path=house.region_path,
    )


register(
    "safety-round",
    case=Case(
        make=_round,
        payload=lambda world, community: {
            "kind": "fire",
            "place_kind": "house",
            "house": _house(world, community).pk,
        },
    ),
)


def _finding(world: World, community):
    from safety import inspections
    from safety.models import Finding

    made = _round(world, community)
    finding = inspections.finding_record(
        actor=world.sample("accounts.grid_worker") if community == world.community_a else world.worker_b,
        round=made,
        item="ebike_indoor_charging",
        severity="low",
    )
    return Finding.objects.get(pk=finding.pk)


register(
    "safety-finding",
    case=Case(
        make=_finding,
        format="multipart",
        payload=lambda world, community: {
            "round": _round(world, community).pk,
            "item": "ebike_indoor_charging",
            "severity": "medium",
        },
        update_payload=lambda world, community, obj: {"rectified": "true"},
        success={"reinspect": 200},
    ),
)


# emergency -------------------------------------------------------------------------------------------


def _plan(world: World, community):
    from datetime import date

    from safety.models import EmergencyPlan

    return EmergencyPlan.objects.create(
        title="防汛预案",
        hazard="flood",
        effective_from=date(2026, 6, 1),
        region=community,
        region_path=community.path,
    )


register(
    "safety-plan",
    case=Case(
        make=_plan,
        placed_at=lambda world, community: community,
        payload=lambda world, community: {
            "community": community.pk,
            "title": "防汛预案",
            "hazard": "flood",
            "effective_from": "2026-06-01",
            "resources": [{"name": "沙袋", "quantity": 10, "unit": "个"}],
        },
    ),
)


def _drill(world: World, community):
    from datetime import date

    from safety.models import Drill

    plan = _plan(world, community)
    return Drill.objects.create(
        plan=plan, held_on=date(2026, 6, 2), region=community, region_path=community.path
    )


register(
    "safety-drill",
    case=Case(
        make=_drill,
        placed_at=lambda world, community: community,
        payload=lambda world, community: {
            "plan": _plan(world, community).pk,
            "held_on": "2026-06-03",
            "participants": 5,
        },
    ),
)


def _incident(world: World, community):
    from datetime import timedelta

    from django.utils import timezone

    from safety.models import Incident

    return Incident.objects.create(
        title="停电通知",
        roles=["accounts.grid_worker"],
        reminder_minutes=30,
        sent_by=world.secretary,
        remind_at=timezone.now() + timedelta(minutes=30),
        region=community,
        region_path=community.path,
    )


register(
    "safety-incident",
    case=Case(
        make=_incident,
        placed_at=lambda world, community: community,
        payload=lambda world, community: {
            "region": community.pk,
            "roles": ["accounts.grid_worker"],
            "title": "防汛到岗",
        },
    ),
)


def _receipt_to(world: World, user):
    from safety.models import IncidentReceipt

    incident = _incident(world, world.community_a)
    return IncidentReceipt.objects.create(
        incident=incident, user=user, region=world.community_a, region_path=world.community_a.path
    )


register("safety-receipt-list", case=Case(personal=True))
register("safety-receipt-acknowledge", case=Case(addressed_to=_receipt_to))


# the two lists ----------------------------------------------------------------------------------------


def _resident(world: World, community):
    from tests.world import make_resident_record

    return make_resident_record(world.grid_of(community), name="钱老伯")


def _care_recipient(world: World, community):
    from django.utils import timezone

    from safety.models import CareRecipient

    person = _resident(world, community)
    return CareRecipient.objects.create(
        resident=person,
        category="living_alone",
        contact_every_days=3,
        next_contact_due=timezone.localdate(),
        region_id=person.region_id,
        region_path=person.region_path,
    )


register(
    "safety-care-recipient",
    case=Case(
        make=_care_recipient,
        payload=lambda world, community: {
            "resident": _resident(world, community).pk,
            "category": "living_alone",
            "contact_every_days": 3,
        },
        update_payload=lambda world, community, obj: {"way": "phone"},
        success={"contacts": 201},
    ),
)


def _key_staff(world: World, community):
    from safety.contributions import KEY_PERSON_LIAISON, KEY_PERSON_WORKER
    from tests.world import make_staff

    return make_staff(KEY_PERSON_WORKER, community), make_staff(KEY_PERSON_LIAISON, world.street)


def _key_person(world: World, community):
    from datetime import timedelta

    from django.utils import timezone

    from safety.models import KeyPerson

    person = _resident(world, community)
    worker, liaison = _key_staff(world, community)
    today = timezone.localdate()
    return KeyPerson.objects.create(
        resident=person,
        category="released",
        office="滨江司法所",
        assigned_worker=worker,
        liaison=liaison,
        visit_every_days=7,
        next_visit_due=today + timedelta(days=7),
        period_ends_on=today + timedelta(days=90),
        region_id=person.region_id,
        region_path=person.region_path,
    )


def _key_person_payload(world: World, community) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    worker, liaison = _key_staff(world, community)
    return {
        "resident": _resident(world, community).pk,
        "category": "mental_health",
        "office": "卫生院",
        "assigned_worker": worker.pk,
        "liaison": liaison.pk,
        "visit_every_days": 30,
        "period_ends_on": str(timezone.localdate() + timedelta(days=365)),
    }


register(
    "safety-key-person",
    case=Case(
        make=_key_person,
        payload=_key_person_payload,
        update_payload=lambda world, community, obj: {"note": "走访正常"},
        success={"visits": 201},
    ),
)


# patrols ----------------------------------------------------------------------------------------------

# A point in Wuhu (WGS-84).
_LON, _LAT = 118.376, 31.326


def _patrol_route(world: World, community):
    from safety.models import PatrolPoint, PatrolRoute

    grid = world.grid_of(community)
    route = PatrolRoute.objects.create(
        name=f"巡逻线{next(_serial)}", radius_metres=50, region=grid, region_path=grid.path
    )
    PatrolPoint.objects.create(
        route=route, order=1, name="东门", longitude=_LON, latitude=_LAT, region=grid, region_path=grid.path
    )
    return route


def _patrol_shift(world: World, community):
    from datetime import timedelta

    from django.utils import timezone

    from safety.models import PatrolShift

    route = _patrol_route(world, community)
    start = timezone.now()
    return PatrolShift.objects.create(
        route=route,
        patroller=world.grid_worker,
        planned_start=start,
        planned_end=start + timedelta(hours=2),
        points_planned=1,
        region_id=route.region_id,
        region_path=route.region_path,
    )


def _point_of(shift) -> int:
    return shift.route.points.values_list("id", flat=True).first()


register(
    "safety-patrol-route",
    case=Case(
        make=_patrol_route,
        payload=lambda world, community: {
            "grid": world.grid_of(community).pk,
            "name": "夜间巡逻线",
            "points": [{"name": "东门", "longitude": _LON, "latitude": _LAT}],
        },
        update_payload=lambda world, community, obj: {"ended_on": "2026-12-31"},
    ),
)
_SHIFT_PAYLOAD = {
    "planned_start": "2026-12-05T20:00:00+08:00",
    "planned_end": "2026-12-05T22:00:00+08:00",
}
register(
    "safety-patrol-shift",
    case=Case(
        make=_patrol_shift,
        payload=lambda world, community: {"route": _patrol_route(world, community).pk, **_SHIFT_PAYLOAD},
        update_payload=lambda world, community, obj: {"findings": "无异常"},
    ),
)
register(
    "safety-patrol-shift-check-in",
    case=Case(
        make=_patrol_shift,
        update_payload=lambda world, community, obj: {
            "point": _point_of(obj),
            "position": {"longitude": _LON, "latitude": _LAT, "system": "wgs84"},
        },
        success={"check_in": 201},
    ),
)


def _winter_shift(world: World, community):
    from safety.models import PatrolShift

    shift = _patrol_shift(world, community)
    PatrolShift.objects.filter(pk=shift.pk).update(kind="winter_warmth")
    shift.kind = "winter_warmth"
    return shift


def _rough_sleeper(world: World, community):
    from django.utils import timezone

    from safety.models import RoughSleeper

    shift = _winter_shift(world, community)
    return RoughSleeper.objects.create(
        shift=shift,
        found_at=timezone.now(),
        longitude=_LON,
        latitude=_LAT,
        input_system="wgs84",
        identified=True,
        name_encrypted="孙大爷",
        name_masked="孙**",
        help_given=["supplies"],
        recorded_by=world.grid_worker,
        region_id=shift.region_id,
        region_path=shift.region_path,
    )


register(
    "safety-rough-sleeper",
    case=Case(
        make=_rough_sleeper,
        payload=lambda world, community: {
            "shift": _winter_shift(world, community).pk,
            "position": {"longitude": _LON, "latitude": _LAT},
            "identified": True,
            "name": "孙大爷",
            "help_given": ["supplies", "shelter_referral"],
        },
    ),
)
