"""The low-income monitoring rules (scenarios/low_income/rules.py), set-based over every resident,
against one task per resident (what a per-person Celery task would do: read the person's office
records, check each rule, look up the flag, write it), timed on a sample and extrapolated to all.

    DATABASE_URL=postgres://…/sc_bench_1000000 python -m bench.bench_low_income

Inside a rolled-back transaction: the scenario is enabled for the whole city and every resident
gets one office record, as when the tax or social-security office sends everyone's income: nine
in ten an income (one resident in ten is a recipient, and some of them earn above the standard),
the rest a bill, a certificate, an unemployment registration, a disaster or a death, with amounts
spread so that some pass their thresholds; then both sides flag them. Opening the events of the
new flags is the same per-flag work on both sides and is left out. Target: the rules at least 100× faster.
"""

from __future__ import annotations

import time

from bench._django import rolled_back, setup
from bench.harness import Context, Result, cli, faster_by, result_of

SAMPLE = 2000


def run(ctx: Context) -> list[Result]:
    setup(vacuum=False)
    from django.db import connection, transaction

    from core.extensions.models import ScenarioEnablement
    from core.regions.models import Region
    from core.registry.models import Resident, ResidentTag
    from scenarios.low_income.models import OfficeRecord, RiskFlag
    from scenarios.low_income.rules import RECIPIENT_TAGS, RULES, run_rules, settings_groups

    results = []
    with rolled_back():
        city = Region.objects.filter(level=Region.Level.CITY).order_by("id").first()
        ScenarioEnablement.objects.create(scenario_key="low_income", region=city, region_path=city.path)
        kinds = ["medical_bill", "disability", "unemployment", "disaster", "death"]
        case = " ".join(f"WHEN {i} THEN '{kind}'" for i, kind in enumerate(kinds))
        case = f"CASE WHEN id % 10 <> 0 THEN 'income' ELSE CASE (id / 10 % 5) {case} END END"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO low_income_officerecord
                    (kind, resident_id, household_id, amount, from_work, occurred_on, office, reference, via,
                     region_id, region_path, created_at, updated_at)
                SELECT {case}, id, household_id, (id % 40) * 100 + (id / 10 % 4) * 10000, (id % 2) = 0,
                       CURRENT_DATE, 'bench', CAST(id AS VARCHAR(20)), 'import', region_id, region_path,
                       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                FROM registry_resident"""
            )
            cursor.execute(
                """INSERT INTO registry_residenttag
                    (resident_id, tag, attributes, source, started_on, created_at)
                SELECT id, 'registry.dibao', '{}', 'import', CURRENT_DATE, CURRENT_TIMESTAMP
                FROM registry_resident WHERE id % 10 = 3"""
            )
        residents = Resident.objects.count()
        records = OfficeRecord.objects.count()

        ours_times, flagged = [], 0
        for _ in range(1 if ctx.quick else 3):
            with transaction.atomic():
                started = time.perf_counter()
                flagged = sum(run_rules().values())
                ours_times.append(time.perf_counter() - started)
                transaction.set_rollback(True)

        versions, values, _paths = settings_groups()[0]
        rules_by_kind = {rule.record_kind: rule for rule in RULES}

        def one_task(resident_id: int) -> None:
            """What a task per resident does, with the settings already in hand."""
            for record in OfficeRecord.objects.filter(resident_id=resident_id):
                rule = rules_by_kind[record.kind]
                if rule.threshold:
                    limit = values[rule.threshold]
                    if record.amount is None or (
                        record.amount <= limit if rule.above else record.amount < limit
                    ):
                        continue
                if (
                    rule.recipients_only
                    and not ResidentTag.objects.filter(
                        resident_id=resident_id, tag__in=RECIPIENT_TAGS, ended_on__isnull=True
                    ).exists()
                ):
                    continue
                if RiskFlag.objects.filter(record=record, rule=rule.key).exists():
                    continue
                RiskFlag.objects.create(
                    rule=rule.key,
                    record=record,
                    resident_id=resident_id,
                    household_id=record.household_id,
                    kind=rule.flag,
                    threshold=values[rule.threshold] if rule.threshold else None,
                    settings_versions=list(versions),
                    region_id=record.region_id,
                    region_path=record.region_path,
                )

        sample = list(Resident.objects.order_by("?").values_list("id", flat=True)[:SAMPLE])
        per_task = []
        with transaction.atomic():
            for resident_id in sample:
                started = time.perf_counter()
                one_task(resident_id)
                per_task.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        mean = sum(per_task) / max(len(per_task), 1)
        baseline_times = [mean * residents]
        result = result_of(
            f"low-income rules over {residents} residents ({records} office records, {flagged} flagged)",
            "set-based rules (6 INSERT … SELECT)",
            f"one task per resident (mean of {len(sample)} × {residents})",
            ours_times,
            baseline_times,
            target=faster_by(100),
            note=f"one task: {1000 * mean:.2f} ms on average; new flags: {flagged}",
        )
        print(result.line(), flush=True)
        results.append(result)
    return results


if __name__ == "__main__":
    cli(run)
