"""Demo: other offices' records for the first demo community, and the rules run over them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.extensions.demo import scenario_enable_for_demo
from core.registry.models import Resident, ResidentTag
from scenarios.low_income.models import OfficeRecord
from scenarios.low_income.services import rules_run

DEMO_OFFICE = "demo-office"


def seed_low_income(city, *, scale) -> str:
    community = scenario_enable_for_demo("low_income", city)
    if community is None:
        return ""
    residents = list(
        Resident.objects.filter(
            region_path__startswith=community.path, status="active", household__isnull=False
        ).order_by("id")[: max(6, scale.per(500, minimum=6))]
    )
    if len(residents) < 6:
        return ""
    today = timezone.localdate()
    kinds = [
        (OfficeRecord.Kind.MEDICAL_BILL, Decimal("36800"), False),
        (OfficeRecord.Kind.DISABILITY, None, False),
        (OfficeRecord.Kind.UNEMPLOYMENT, None, False),
        (OfficeRecord.Kind.DISASTER, Decimal("15000"), False),
        (OfficeRecord.Kind.MEDICAL_BILL, Decimal("3000"), False),  # below the threshold: no flag
        (OfficeRecord.Kind.INCOME, Decimal("2600"), True),
    ]
    made = 0
    for index, resident in enumerate(residents):
        kind, amount, from_work = kinds[index % len(kinds)]
        if kind == OfficeRecord.Kind.INCOME:
            ResidentTag.objects.get_or_create(
                resident=resident, tag="registry.dibao", defaults={"source": "import"}
            )
        _record, created = OfficeRecord.objects.get_or_create(
            office=DEMO_OFFICE,
            reference=f"DEMO-{resident.pk}",
            defaults={
                "kind": kind,
                "resident": resident,
                "household": resident.household,
                "amount": amount,
                "from_work": from_work,
                "occurred_on": today - timedelta(days=index + 1),
                "via": OfficeRecord.Via.IMPORT,
                "region_id": resident.region_id,
                "region_path": resident.region_path,
            },
        )
        made += created
    flagged = rules_run()
    return f"low-income monitoring: {made} office records, {sum(flagged.values())} flags"
