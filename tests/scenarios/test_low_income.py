"""低收入人口动态监测预警: other offices' data flag households at risk (主动发现) and recipients for
re-check, set-based, once per rule and record, only where the scenario is enabled."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from core.extensions.models import Handoff
from core.extensions.signing import signed_headers
from core.registry.models import ResidentTag
from core.workflow.models import Event
from scenarios.low_income.models import OfficeRecord, RiskFlag
from scenarios.low_income.rules import RULES, flag_statement
from scenarios.low_income.services import rules_run
from tests.helpers import client_for
from tests.scenarios.helpers import SYSTEM, enable
from tests.scenarios.scope_cases import low_income_record, resident_in
from tests.world import id_number, make_resident_record


def recipient(world, community):
    person = resident_in(world, community)
    ResidentTag.objects.create(resident=person, tag="registry.dibao", source="benefit")
    return person


def test_a_large_medical_bill_flags_the_household_and_opens_an_active_discovery_event(world):
    """民政部 2023 低收入人口动态监测: large medical spending is a signal of falling into need."""
    record = low_income_record(world, world.community_a, amount=Decimal("20000"))
    low_income_record(world, world.community_a, amount=Decimal("19999.99"))  # below: nothing
    assert rules_run(actor=SYSTEM)["medical_bill"] == 1
    flag = RiskFlag.objects.get()
    assert (flag.rule, flag.record, flag.kind, flag.threshold) == (
        "medical_bill",
        record,
        "risk",
        Decimal("20000"),
    )
    event = Event.objects.get(type="low_income.active_discovery")
    assert flag.event == event and event.region_path == world.grid_a1.path
    assert "medical_bill" in event.description and record.reference in event.description


def test_running_the_rules_twice_flags_and_opens_nothing_twice(world):
    low_income_record(world, world.community_a, kind="unemployment", amount=None)
    low_income_record(world, world.community_a, kind="disability", amount=None)
    first = rules_run(actor=SYSTEM)
    assert (first["unemployment"], first["disability"]) == (1, 1)
    assert sum(rules_run(actor=SYSTEM).values()) == 0
    assert RiskFlag.objects.count() == 2 and Event.objects.count() == 2


def test_a_disabled_community_gets_nothing(world):
    enable("low_income", world.community_b, enabled=False)
    OfficeRecord.objects.all().delete()
    record_b = low_income_record(world, world.community_b)
    enable("low_income", world.community_b, enabled=False)  # the helper enables; switch it off
    assert sum(rules_run(actor=SYSTEM).values()) == 0
    assert not RiskFlag.objects.filter(record=record_b).exists() and not Event.objects.exists()
    enable("low_income", world.community_b)
    assert rules_run(actor=SYSTEM)["medical_bill"] == 1


def test_thresholds_are_the_districts_policy_and_flags_record_the_settings_version(world):
    from core.extensions.scenarios import scenario_settings_add

    version = scenario_settings_add(
        actor=SYSTEM,
        scenario_key="low_income",
        region=world.district,
        values={"medical_bill_threshold": "5000"},
    )
    low_income_record(world, world.community_a, amount=Decimal("6000"))
    rules_run(actor=SYSTEM)
    flag = RiskFlag.objects.get()
    assert flag.threshold == Decimal("5000") and flag.settings_versions == [version.pk]


def test_a_recipients_income_above_the_standard_from_work_is_rechecked_after_a_gradual_exit(world):
    """渐退期 (民发〔2021〕57号 art. 29): income risen from work keeps the benefit for 6 months."""
    person = recipient(world, world.community_a)
    record = low_income_record(
        world, world.community_a, kind="income", amount=Decimal("1500"), resident=person
    )
    OfficeRecord.objects.filter(pk=record.pk).update(from_work=True)
    rules_run(actor=SYSTEM)
    flag = RiskFlag.objects.get()
    assert (flag.rule, flag.kind, flag.grace_until) == ("income_above_standard", "recheck", date(2026, 7, 1))
    handoff = Handoff.objects.get(kind="benefit_recheck")
    assert (
        handoff.payload["reason"] == "income_above_standard"
        and handoff.payload["grace_until"] == "2026-07-01"
    )
    assert handoff.payload["source"] == f"low_income.flag:{flag.pk}"
    assert not Event.objects.exists()  # a re-check is the affairs domain's, not an event here


def test_income_of_a_non_recipient_or_within_the_standard_flags_nothing(world):
    low_income_record(world, world.community_a, kind="income", amount=Decimal("5000"))  # not a recipient
    person = recipient(world, world.community_a)
    low_income_record(world, world.community_a, kind="income", amount=Decimal("1000"), resident=person)
    assert sum(rules_run(actor=SYSTEM).values()) == 0


def test_a_recipients_death_is_handed_over_for_recheck(world):
    person = recipient(world, world.community_a)
    low_income_record(world, world.community_a, kind="death", amount=None, resident=person)
    assert rules_run(actor=SYSTEM)["death_of_recipient"] == 1
    assert Handoff.objects.get(kind="benefit_recheck").payload["reason"] == "died"


def test_each_rule_is_one_insert_select_statement(world):
    enable("low_income", world.community_a)
    sql, _params = flag_statement(RULES[0], {"medical_bill_threshold": "1"}, (), [world.district.path])
    assert (
        sql.startswith("INSERT INTO low_income_riskflag")
        and "SELECT" in sql
        and "ON CONFLICT DO NOTHING" in sql
    )


def _workbook(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["种类", "身份证号", "记录编号", "金额", "发生日期"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "office.xlsx"
    return buffer


def test_an_office_workbook_imports_records_once(world):
    enable("low_income", world.community_a)
    number = id_number(date(1958, 4, 4))
    make_resident_record(world.grid_a1, number=number, name="孙八")
    api = client_for(world.community_worker)
    rows = [
        ["大额医疗支出", number, "YB-1", 40000, "2026-02-01"],
        ["受灾", "110101199001011234", "YB-2", 1, "2026-02-01"],
    ]
    first = api.post("/api/v1/scenarios/low_income/imports/", {"office": "医保局", "file": _workbook(rows)})
    assert first.status_code == 201, first.content
    assert first.json()["added"] == 1 and first.json()["errors"][0]["row"] == 2
    again = api.post(
        "/api/v1/scenarios/low_income/imports/", {"office": "医保局", "file": _workbook(rows[:1])}
    )
    assert again.json() == {"added": 0, "known": 1, "errors": []}
    assert OfficeRecord.objects.get().kind == "medical_bill"


@override_settings(SCENARIO_FEED_SECRET="s3cret")
def test_a_signed_push_adds_records_and_an_unsigned_one_is_refused(world, api_client):
    enable("low_income", world.community_a)
    number = id_number(date(1950, 6, 6))
    make_resident_record(world.grid_a1, number=number, name="周九")
    path = "/api/v1/scenarios/low_income/push/"
    body = json.dumps(
        {
            "office": "残联",
            "records": [
                {"kind": "disability", "id_number": number, "reference": "CL-1", "occurred_on": "2026-03-01"}
            ],
        }
    ).encode()
    refused = api_client.post(path, body, content_type="application/json")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "scenario_bad_signature"
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers("POST", path, body).items()
    }
    accepted = api_client.post(path, body, content_type="application/json", **headers)
    assert accepted.status_code == 200 and accepted.json()["added"] == 1
    assert OfficeRecord.objects.get().via == "push"


@pytest.mark.parametrize("kind", ["medical_bill", "disaster"])
def test_every_flag_names_its_rule_and_record_in_the_api(world, kind):
    record = low_income_record(world, world.community_a, kind=kind, amount=Decimal("90000"))
    rules_run(actor=SYSTEM)
    row = client_for(world.grid_worker).get("/api/v1/scenarios/low_income/flags/").json()["results"][0]
    assert (row["rule"], row["record"], row["reference"]) == (kind, record.pk, record.reference)
