"""Demo: two children followed in the first demo community, and a report about one of them. The
child in difficulty has a guardian on record in the register; the de-facto unattended child has
none, so the children's list flags it (`guardian_missing`)."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from core.extensions.demo import scenario_enable_for_demo
from core.registry.contributions import ADULT_AGE
from core.registry.models import Resident
from core.registry.services import contact_add
from core.registry.tags import years_before
from scenarios.minors.models import ChildRecord, ChildReport
from scenarios.minors.services import report_make

SYSTEM = SimpleNamespace(is_superuser=True, is_authenticated=False)


def seed_minors(city, *, scale) -> str:
    community = scenario_enable_for_demo("minors", city)
    if community is None or ChildRecord.objects.filter(region_path__startswith=community.path).exists():
        return ""
    today = timezone.localdate()
    children = list(
        Resident.objects.filter(
            region_path__startswith=community.path,
            status="active",
            birth_date__gt=years_before(today, ADULT_AGE),
        ).order_by("id")[:2]
    )
    records, guarded = [], 0
    for child, category in zip(children, ("unattended", "in_difficulty"), strict=False):
        ChildRecord.objects.create(
            resident=child,
            category=category,
            next_visit_on=today,
            region_id=child.region_id,
            region_path=child.region_path,
        )
        records.append(child)
        if category == "in_difficulty":
            contact_add(
                actor=SYSTEM,
                resident=child,
                data={"kind": "guardian", "name": "周敏", "relation": "母亲", "phone": "13905510123"},
            )
            guarded += 1
    first = ChildRecord.objects.filter(region_path__startswith=community.path).order_by("id").first()
    if first is not None:
        report_make(actor=SYSTEM, child=first, kind="at_risk", summary="放学后长期独自在家，无人照看")
    return (
        f"minors: {len(records)} children followed ({guarded} with a guardian on record), "
        f"{ChildReport.objects.count()} report"
    )
