"""The rules, set-based: each is one INSERT … SELECT over every office record of the places where
the scenario is enabled, flagging what it has not flagged before (one flag per rule and record,
so a second run inserts nothing). Thresholds are the scenario's policy settings, which the
district sets: the records of districts with the same thresholds are flagged in one statement.

    medical_bill           a medical bill at or above medical_bill_threshold → at risk
    disability             a new disability certificate → at risk
    unemployment           an unemployment registration → at risk
    disaster               a disaster loss at or above disaster_loss_threshold → at risk
    income_above_standard  a recipient's income per person above low_income_standard → re-check
    death_of_recipient     a recipient died → re-check
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, CharField, DecimalField, Exists, F, JSONField, OuterRef, Q, Value
from django.db.models.functions import Now

from core.extensions.scenarios import scenario_enabled_q, scenario_settings_at
from core.regions.models import Region
from core.regions.scoping import under
from core.registry.models import ResidentTag
from scenarios.low_income.models import OfficeRecord, RiskFlag

SCENARIO = "low_income"
# Residents receiving assistance: their benefits are re-checked when their situation changes.
RECIPIENT_TAGS = ("registry.dibao", "registry.tekun", "registry.low_income")


@dataclass(frozen=True)
class Rule:
    key: str
    flag: str  # RiskFlag.Kind
    record_kind: str
    threshold: str = ""  # the setting whose value the record's amount is compared with
    above: bool = False  # strictly above the threshold (income) rather than at or above (bills)
    recipients_only: bool = False


RULES = (
    Rule("medical_bill", RiskFlag.Kind.RISK, OfficeRecord.Kind.MEDICAL_BILL, "medical_bill_threshold"),
    Rule("disability", RiskFlag.Kind.RISK, OfficeRecord.Kind.DISABILITY),
    Rule("unemployment", RiskFlag.Kind.RISK, OfficeRecord.Kind.UNEMPLOYMENT),
    Rule("disaster", RiskFlag.Kind.RISK, OfficeRecord.Kind.DISASTER, "disaster_loss_threshold"),
    Rule(
        "income_above_standard",
        RiskFlag.Kind.RECHECK,
        OfficeRecord.Kind.INCOME,
        "low_income_standard",
        above=True,
        recipients_only=True,
    ),
    Rule("death_of_recipient", RiskFlag.Kind.RECHECK, OfficeRecord.Kind.DEATH, recipients_only=True),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}

# The flag's columns, in the order the SELECT produces them.
_COLUMNS = (
    "rule",
    "record_id",
    "resident_id",
    "household_id",
    "kind",
    "state",
    "threshold",
    "settings_versions",
    "followed_up",
    "region_id",
    "region_path",
    "created_at",
    "updated_at",
)


def settings_groups() -> list[tuple[tuple[int, ...], dict, list[str]]]:
    """(settings versions, values, district paths) for each set of policy values in force."""
    groups: dict[tuple, tuple[tuple[int, ...], dict, list[str]]] = {}
    for path in Region.objects.filter(level=Region.Level.DISTRICT).values_list("path", flat=True):
        effective = scenario_settings_at(SCENARIO, path)
        signature = (*sorted(effective.values.items()), effective.versions)
        groups.setdefault(signature, (effective.versions, effective.values, []))[2].append(path)
    return list(groups.values())


def candidates(rule: Rule, values: dict, district_paths: list[str]):
    """The records this rule flags, not flagged by it before, at enabled places of these districts."""
    records = OfficeRecord.objects.filter(
        under(district_paths), scenario_enabled_q(SCENARIO), kind=rule.record_kind
    ).exclude(Exists(RiskFlag.objects.filter(record=OuterRef("pk"), rule=rule.key)))
    if rule.threshold:
        limit = Decimal(values[rule.threshold])
        records = records.filter(amount__gt=limit) if rule.above else records.filter(amount__gte=limit)
    if rule.recipients_only:
        records = records.filter(
            Exists(
                ResidentTag.objects.filter(resident=OuterRef("resident_id"), tag__in=RECIPIENT_TAGS).filter(
                    Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("occurred_on"))
                )
            )
        )
    return records


def flag_statement(rule: Rule, values: dict, versions: tuple[int, ...], district_paths: list[str]):
    threshold = Decimal(values[rule.threshold]) if rule.threshold else None
    selected = candidates(rule, values, district_paths).annotate(
        c_rule=Value(rule.key, output_field=CharField()),
        c_record=F("pk"),
        c_resident=F("resident_id"),
        c_household=F("household_id"),
        c_kind=Value(str(rule.flag), output_field=CharField()),
        c_state=Value(RiskFlag.State.OPEN.value, output_field=CharField()),
        c_threshold=Value(threshold, output_field=DecimalField(max_digits=12, decimal_places=2)),
        c_versions=Value(list(versions), output_field=JSONField()),
        c_followed=Value(False, output_field=BooleanField()),
        c_region=F("region_id"),
        c_path=F("region_path"),
        c_created=Now(),
        c_updated=Now(),
    )
    names = [
        "c_rule",
        "c_record",
        "c_resident",
        "c_household",
        "c_kind",
        "c_state",
        "c_threshold",
        "c_versions",
        "c_followed",
        "c_region",
        "c_path",
        "c_created",
        "c_updated",
    ]
    sql, params = selected.values_list(*names).query.sql_with_params()
    table = RiskFlag._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    return f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING", params


def run_rules() -> dict[str, int]:
    """Flag every household the rules find, everywhere the scenario is enabled: how many new
    flags per rule. Call inside a transaction."""
    flagged = dict.fromkeys(RULES_BY_KEY, 0)
    with connection.cursor() as cursor:
        for versions, values, paths in settings_groups():
            for rule in RULES:
                try:
                    sql, params = flag_statement(rule, values, versions, paths)
                except EmptyResultSet:  # enabled nowhere: nothing to select
                    continue
                cursor.execute(sql, params)
                flagged[rule.key] += max(cursor.rowcount, 0)
    return flagged
