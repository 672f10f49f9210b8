"""Scope-matrix cases of government affairs (/api/v1/affairs/), found by tests/scope_matrix/cases.py:
the catalogue, applications and their actions, standards, benefits, the publicity list and statistics."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.accounts.roles import Role
from tests.scope_matrix.cases import Case, register
from tests.world import World, make_resident_record

_serial = itertools.count(1)
PDF = b"%PDF-1.4\n% matrix\n"


# the catalogue ----------------------------------------------------------------------------------


def _item(world: World, community):
    from affairs.models import ServiceItem

    return ServiceItem.objects.create(code=f"matrix-{next(_serial)}", name="测试事项", category="other")


register(
    "affairs-item",
    case=Case(make=_item, unscoped=True, url_kwargs=lambda obj: {"code": obj.code}),
)

# applications ------------------------------------------------------------------------------------


def _household(grid, record=None):
    from core.registry.models import House, Household

    house = House.objects.create(region=grid, region_path=grid.path, address=f"{grid.name}{next(_serial)}号")
    household = Household.objects.create(region=grid, region_path=grid.path, house=house)
    record = record or make_resident_record(grid, name="申请人")
    record.household, record.house = household, house
    record.save(update_fields=["household", "house"])
    household.householder = record
    household.save(update_fields=["householder"])
    return household


def _application(world: World, community, *, stage="submitted", item="dibao"):
    from affairs.models import Application, ServiceItem
    from core.workflow.services import event_report

    household = _household(world.grid_of(community))
    event, _merged = event_report(
        reporter=None,
        type_key="affairs.application",
        source="domain",
        title="低保",
        house=household.house,
        sla_working_days=20,
    )
    today = timezone.localdate()
    posted = stage == "publicity"
    return Application.objects.create(
        item=ServiceItem.objects.get(code=item),
        event=event,
        household=household,
        applicant=household.householder,
        region=event.region,
        region_path=event.region_path,
        applied_on=today,
        channel="counter",
        stage=stage,
        publicity_starts_on=today if posted else None,
        publicity_ends_on=today + timedelta(days=6) if posted else None,
    )


def _with_attachment(world: World, community):
    from core.workflow.attachments import attachment_add

    application = _application(world, community)
    upload = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    application.matrix_attachment = attachment_add(
        event=application.event, upload=upload, actor=None, label="id_card"
    )
    return application


def _with_objection(world: World, community):
    from affairs.models import Objection

    application = _application(world, community, stage="publicity")
    application.matrix_objection = Objection.objects.create(
        application=application, received_on=timezone.localdate(), content="有异议"
    )
    return application


def _submission(world: World, community) -> dict:
    """A 高龄津贴 application for a household of the community's grid. In 甲社区 it is the
    household of the latest resident account made there (the matrix makes the caller before the
    payload): a resident applies for their own household, a worker for it on their behalf (代办)."""
    from core.accounts.models import ResidentBinding

    grid = world.grid_of(community)
    binding = ResidentBinding.objects.filter(resident__region=grid).order_by("-pk").first()
    record = binding.resident if binding and community == world.community_a else None
    household = _household(grid, record)
    payload = {
        "item": "longevity",
        "household": household.pk,
        "applicant": household.householder_id,
        "members": [{"resident": household.householder_id, "monthly_income": "0"}],
    }
    return {
        "payload": json.dumps(payload),
        "materials.id_card": SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf"),
        "materials.hukou": SimpleUploadedFile("户口簿.pdf", PDF, content_type="application/pdf"),
    }


register("affairs-application", case=Case(make=_application, payload=_submission, format="multipart"))
# Steps reach the handler with an empty body (400); materials want multipart (415).
register("affairs-application-step", case=Case(make=_application, success={"step": 400}))
register("affairs-application-materials", case=Case(make=_application, success={"materials": 415}))
register(
    "affairs-application-material",
    case=Case(
        make=_with_attachment,
        url_kwargs=lambda obj: {"pk": obj.pk, "attachment_id": obj.matrix_attachment.pk},
    ),
)
register(
    "affairs-application-forms",
    case=Case(make=_application, url_kwargs=lambda obj: {"pk": obj.pk, "kind": "notice"}),
)
# Objections belong to the level that reviews the item (the street for 低保): the street reaches the
# handler (400 with an empty body), the other handling levels are refused by the item's rule (403).
_AT_REVIEW = {Role.STREET_STAFF: 400, "*": 403}
register(
    "affairs-application-objections",
    case=Case(
        make=lambda world, community: _application(world, community, stage="publicity"),
        success={"objections": _AT_REVIEW},
    ),
)
register(
    "affairs-application-settle-objection",
    case=Case(
        make=_with_objection,
        url_kwargs=lambda obj: {"pk": obj.pk, "objection_id": obj.matrix_objection.pk},
        success={"settle_objection": _AT_REVIEW},
    ),
)

# the publicity list: a resident sees (and objects to) what is posted in their own community ------


def _same_community(obj, resident) -> bool:
    community = "/".join(resident.region_path.split("/")[:5]) + "/"
    return obj.region_path.startswith(community)


register(
    "affairs-publicity",
    case=Case(
        make=lambda world, community: _application(world, community, stage="publicity"),
        is_own=_same_community,
        update_payload=lambda world, community, obj: {"content": "该户有经营性车辆"},
        success={"objections": 201},
    ),
)
register(
    "affairs-statistics",
    case=Case(unpaged="figures for one node and each node one level down: one object, not rows"),
)

# standards: a district's rows, seen by everyone working in it ------------------------------------


def _other_district(world: World):
    from core.regions.models import Region

    region, _created = Region.objects.get_or_create(
        name="弋江区", parent=world.city, defaults={"level": Region.Level.DISTRICT}
    )
    return region


def _district_for(world: World, community):
    return world.district if community == world.community_a else _other_district(world)


def _standard(world: World, community):
    from affairs.models import AssistanceStandard

    district = _district_for(world, community)
    standard = AssistanceStandard.objects.create(
        region=district,
        region_path=district.path,
        kind="dibao",
        amount=Decimal("800"),
        effective_from=date(2024, 1, 1) + timedelta(days=next(_serial)),
    )
    # Seen from anywhere in its district: for the matrix, placed at the grid of 甲社区 (under every
    # holder's node); another district's row lies outside them all.
    standard.matrix_path = world.grid_a1.path if community == world.community_a else district.path
    return standard


register(
    "affairs-standard",
    case=Case(
        make=_standard,
        path_attribute="matrix_path",
        payload=lambda world, community: {
            "region": _district_for(world, community).pk,
            "kind": "dibao",
            "amount": "800.00",
            "effective_from": (date(2026, 1, 1) + timedelta(days=next(_serial))).isoformat(),
        },
        placed_at=_district_for,
        update_payload=lambda world, community, obj: {"effective_to": "2031-12-31"},
    ),
)

# benefits ---------------------------------------------------------------------------------------


def _benefit(world: World, community):
    from affairs.models import Benefit, ServiceItem

    household = _household(world.grid_of(community))
    return Benefit.objects.create(
        item=ServiceItem.objects.get(code="dibao"),
        resident=household.householder,
        household=household,
        region_path=household.region_path,
        monthly_amount=Decimal("300"),
        started_on=timezone.localdate() - timedelta(days=30),
    )


register(
    "affairs-benefit",
    case=Case(
        make=_benefit,
        update_payload=lambda world, community, obj: {"reason": "lapsed", "note": "年审未通过"},
        # 低保 is confirmed at the street: only the street ends what it granted.
        success={"end": {Role.STREET_STAFF: 200, "*": 403}},
    ),
)
