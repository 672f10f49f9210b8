"""Scope-matrix cases of /api/v1/scenarios/ (core's routes) and of each scenario's resources.

A scenario's objects are made at places where it is enabled (its lists are empty and its objects
404 elsewhere, which tests/scenarios/test_*.py check)."""

from __future__ import annotations

import io
import itertools
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from tests.scenarios.helpers import enable
from tests.scope_matrix.cases import Case, register
from tests.world import World, make_resident_record

_numbers = itertools.count(1)

register("scenarios-list", case=Case(unscoped=True, unpaged="the installed scenarios: a short catalogue"))
register(
    "scenarios-state",
    "scenarios-settings",
    case=Case(
        make=lambda world, community: SimpleNamespace(pk=1, region_path=community.path),
        url_kwargs=lambda obj: {"key": "low_income"},
        unscoped=True,
    ),
)


def _place(world: World, community):
    return SimpleNamespace(pk=community.pk, region_path=community.path)


register(
    "scenarios-place-state",
    case=Case(
        make=_place,
        url_kwargs=lambda obj: {"key": "low_income", "region_id": obj.pk},
        update_payload=lambda world, community, obj: {"enabled": True},
    ),
)
register(
    "scenarios-place-settings",
    case=Case(
        make=_place,
        url_kwargs=lambda obj: {"key": "low_income", "region_id": obj.pk},
        update_payload=lambda world, community, obj: {"values": {"discovery_priority": "high"}},
        success={"create": 201},
    ),
)


# low_income ----------------------------------------------------------------------------------


def resident_in(world: World, community, **fields):
    grid = world.grid_of(community)
    return make_resident_record(grid, name="赵六", birth=date(1960, 1, 1), **fields)


def low_income_record(
    world: World, community, *, kind="medical_bill", amount=Decimal("50000"), resident=None
):
    from scenarios.low_income.models import OfficeRecord

    enable("low_income", community)
    resident = resident or resident_in(world, community)
    return OfficeRecord.objects.create(
        kind=kind,
        resident=resident,
        household=resident.household,
        amount=amount,
        occurred_on=date(2026, 1, 1),
        office="医保局",
        reference=f"R{next(_numbers)}",
        via="import",
        region_id=resident.region_id,
        region_path=resident.region_path,
    )


def low_income_flag(world: World, community):
    from scenarios.low_income.models import RiskFlag

    record = low_income_record(world, community)
    return RiskFlag.objects.create(
        rule="medical_bill",
        record=record,
        resident=record.resident,
        household=record.household,
        kind="risk",
        followed_up=True,
        region_id=record.region_id,
        region_path=record.region_path,
    )


def low_income_workbook(world: World, community) -> dict:
    from openpyxl import Workbook

    from tests.world import id_number

    enable("low_income", community)
    number = id_number(date(1961, 2, 3))
    make_resident_record(world.grid_of(community), number=number, name="钱七")
    book = Workbook()
    sheet = book.active
    sheet.append(["种类", "身份证号", "记录编号", "金额", "发生日期"])
    sheet.append(["大额医疗支出", number, f"W{next(_numbers)}", 30000, "2026-01-02"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "records.xlsx"
    return {"office": "医保局", "file": buffer}


register(
    "low_income-flag",
    case=Case(make=low_income_flag, update_payload=lambda world, community, obj: {"note": "走访核实"}),
)
register("low_income-record", case=Case(make=low_income_record))
register("low_income-import", case=Case(payload=low_income_workbook, format="multipart"))


# elderly_alone ------------------------------------------------------------------------------


def care_case(world: World, community):
    from django.utils import timezone

    from scenarios.elderly_alone.models import CareCase

    enable("elderly_alone", community)
    person = resident_in(world, community)
    grid = world.grid_of(community)
    return CareCase.objects.create(
        handoff_key=f"care_signal:test:{next(_numbers)}",
        resident=person,
        signal="device_alarm",
        source="safety.alarm:1",
        device="safety.device:1",
        occurred_at=timezone.now(),
        step_due_at=timezone.now(),
        region=grid,
        region_path=grid.path,
    )


register(
    "elderly_alone-case",
    case=Case(
        make=care_case,
        update_payload=lambda world, community, obj: {"outcome": "false_alarm", "reason": "设备误报"},
        unaudited={},
    ),
)


# extreme_weather ----------------------------------------------------------------------------


def weather_warning(world: World, community):
    from datetime import timedelta

    from django.utils import timezone

    from scenarios.extreme_weather.models import WeatherWarning

    enable("extreme_weather", community)
    return WeatherWarning.objects.create(
        kind="cold",
        level="orange",
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=1),
        source="staff",
        region=community,
        region_path=community.path,
    )


def care_visit(world: World, community):
    from scenarios.extreme_weather.models import CareVisit

    warning = weather_warning(world, community)
    person = resident_in(world, community)
    return CareVisit.objects.create(
        warning=warning, resident=person, region=person.region, region_path=person.region_path
    )


def warning_payload(world: World, community) -> dict:
    enable("extreme_weather", community)
    return {
        "region": community.pk,
        "kind": "heat",
        "level": "red",
        "valid_until": "2099-07-01T18:00:00+08:00",
    }


register(
    "extreme_weather-warning",
    case=Case(
        make=weather_warning,
        payload=warning_payload,
        placed_at=lambda world, community: community,
        unaudited={
            "create": "a warning writes its own row and the dispatch engine one per event it opens "
            "(a care visit per vulnerable resident, a patrol per community)"
        },
    ),
)
register(
    "extreme_weather-visit",
    case=Case(make=care_visit, update_payload=lambda world, community, obj: {"note": "已送达"}),
)


# minors -------------------------------------------------------------------------------------


def minor_in(world: World, community):
    return make_resident_record(world.grid_of(community), name="小明", birth=date(2015, 6, 1))


def child_record(world: World, community):
    from scenarios.minors.models import ChildRecord

    enable("minors", community)
    child = minor_in(world, community)
    return ChildRecord.objects.create(
        resident=child,
        category="unattended",
        next_visit_on=date(2030, 1, 1),
        region=child.region,
        region_path=child.region_path,
    )


def child_with_guardian(world: World, community):
    """A followed child with a guardian on record in the register (its guardians prefetched, as
    the scenario's queryset reads them)."""
    from core.registry.services import contact_add
    from tests.world import mobile

    record = child_record(world, community)
    guardian = contact_add(
        actor=None,
        resident=record.resident,
        data={"kind": "guardian", "name": "王芳", "relation": "祖母", "phone": mobile()},
    )
    record.resident.guardians = [guardian]
    return record


def child_report(world: World, community):
    from django.utils import timezone

    from scenarios.minors.models import ChildReport

    record = child_record(world, community)
    return ChildReport.objects.create(
        child=record,
        kind="at_risk",
        summary="x",
        due_at=timezone.now(),
        region=record.region,
        region_path=record.region_path,
    )


def child_payload(world: World, community) -> dict:
    enable("minors", community)
    return {"resident": minor_in(world, community).pk, "category": "orphan"}


def report_payload(world: World, community) -> dict:
    return {"child": child_record(world, community).pk, "kind": "at_risk", "summary": "放学后无人照看"}


register("minors-child", case=Case(make=child_record, payload=child_payload))
register(
    "minors-child-reveal-guardian",
    case=Case(
        make=child_with_guardian,
        update_payload=lambda world, community, obj: {
            "guardian": obj.resident.guardians[0].pk,
            "purpose": "联系监护人核实情况",
        },
    ),
)
register(
    "minors-report",
    case=Case(make=child_report, payload=report_payload, update_payload=lambda world, community, obj: {}),
)
