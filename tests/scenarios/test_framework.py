"""The scenario framework: the contract, enablement per place (inherited, overridable), settings as
dated versions with policy at district level, the API, the command, audit, and start-up errors."""

from __future__ import annotations

import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import AppConfig
from django.core.management import call_command
from django.utils import timezone

from core.audit.models import AuditEvent
from core.extensions import discovery
from core.extensions.models import ScenarioSettings
from core.extensions.registry import Registry
from core.extensions.scenarios import (
    scenario_enabled_q,
    scenario_settings_add,
    scenario_settings_at,
    scenario_state_at,
)
from core.regions.models import Region
from tests.helpers import assert_error, client_for
from tests.scenarios.helpers import SYSTEM, enable, enable_audited
from tests.scenarios.scope_cases import low_income_flag


@pytest.fixture
def fresh_registry(monkeypatch):
    fresh = Registry()
    monkeypatch.setattr("core.extensions.registry.registry", fresh)
    return fresh


def test_an_incompatible_scenario_is_disabled_naming_each_problem(fresh_registry):
    AppConfig.create("tests.scenarios.apps.incompatible").ready()
    reason = fresh_registry.disabled_scenarios()["scenario_incompatible"]
    assert "works with platform versions >=9.0, and this platform is 0.1.0" in reason
    assert "setting 'threshold': its default 'many' is refused" in reason
    assert fresh_registry.scenarios() == []


def test_a_scenario_whose_apps_module_fails_to_import_is_left_out_and_named(
    monkeypatch, tmp_path, client, db
):
    """An import error in a scenario's apps.py used to stop Django; now only that scenario is
    left out, with the error, and /readyz names it. Core and domains are not guarded."""
    broken = tmp_path / "broken_care"
    broken.mkdir()
    (broken / "__init__.py").write_text("")
    (broken / "apps.py").write_text("import vendor_sdk_that_is_not_installed\n")
    healthy = tmp_path / "fine_care"
    healthy.mkdir()
    (healthy / "__init__.py").write_text("")
    (healthy / "apps.py").write_text("X = 1\n")
    import scenarios

    monkeypatch.setattr(scenarios, "__path__", [*scenarios.__path__, str(tmp_path)])
    monkeypatch.setattr(discovery, "UNAVAILABLE", {})
    monkeypatch.setattr(discovery, "entry_points", lambda group: [])
    found = discovery.scenario_apps(tmp_path)
    assert found == ["scenarios.fine_care"]
    assert (
        "ModuleNotFoundError: No module named 'vendor_sdk_that_is_not_installed'"
        in (discovery.UNAVAILABLE["scenarios.broken_care"])
    )
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert [d["app"] for d in body["disabled_scenarios"]] == ["scenarios.broken_care"]
    sys.modules.pop("scenarios.fine_care", None)
    sys.modules.pop("scenarios.fine_care.apps", None)


# enablement ---------------------------------------------------------------------------------


def test_enabled_at_a_street_is_inherited_and_a_community_may_turn_it_off(world):
    enable_audited("low_income", world.street)
    enable_audited("low_income", world.community_b, enabled=False)
    assert scenario_state_at("low_income", world.grid_a1.path).enabled
    state_b = scenario_state_at("low_income", world.grid_b1.path)
    assert not state_b.enabled and state_b.decided_at == world.community_b.path and state_b.inherited
    grids = Region.objects.filter(level=Region.Level.GRID).filter(scenario_enabled_q("low_income", "path"))
    assert set(grids) == {world.grid_a1, world.grid_a2}
    audited = AuditEvent.objects.filter(action__startswith="extensions.scenario.").order_by("id")
    assert list(audited.values_list("action", flat=True)) == [
        "extensions.scenario.enable",
        "extensions.scenario.disable",
    ]


def test_a_scenario_is_off_until_enabled(world):
    state = scenario_state_at("low_income", world.grid_a1.path)
    assert not state.enabled and state.decided_at == ""


def test_api_lists_scenarios_with_their_state_at_the_callers_place(world):
    enable("low_income", world.community_a)
    body = client_for(world.community_worker).get("/api/v1/scenarios/").json()
    low = next(row for row in body if row["key"] == "low_income")
    assert low["names"]["zh-hans"] == "低收入人口动态监测预警" and low["domain"] == "affairs"
    assert low["state"]["enabled"] is True and low["state"]["region"] == world.community_a.pk
    other = client_for(world.worker_b).get("/api/v1/scenarios/").json()
    assert next(row for row in other if row["key"] == "low_income")["state"]["enabled"] is False


def test_api_enables_for_a_place_in_scope_only(world):
    admin = world.system_admin
    response = client_for(admin).put(
        f"/api/v1/scenarios/low_income/state/{world.community_a.pk}/", {"enabled": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["enabled"] is True
    state = client_for(world.grid_worker).get("/api/v1/scenarios/low_income/state/").json()
    assert state["enabled"] is True and state["inherited"] is True
    assert (
        client_for(world.community_worker)
        .put(f"/api/v1/scenarios/low_income/state/{world.community_a.pk}/", {"enabled": False}, format="json")
        .status_code
        == 403
    )
    assert client_for(admin).get("/api/v1/scenarios/nope/state/").status_code == 404
    outside = Region.objects.create(name="别的区", level=Region.Level.DISTRICT, parent=world.city)
    assert client_for(admin).get(f"/api/v1/scenarios/low_income/state/{outside.pk}/").status_code == 404


# settings -----------------------------------------------------------------------------------


def test_settings_are_dated_versions_with_defaults_and_nearest_wins(world):
    assert scenario_settings_at("low_income", world.grid_a1.path)["discovery_priority"] == "normal"
    first = scenario_settings_add(
        actor=SYSTEM, scenario_key="low_income", region=world.street, values={"discovery_priority": "high"}
    )
    later = timezone.now() + timedelta(days=1)
    second = scenario_settings_add(
        actor=SYSTEM,
        scenario_key="low_income",
        region=world.street,
        values={"discovery_priority": "normal"},
        valid_from=later,
    )
    now = scenario_settings_at("low_income", world.grid_a1.path)
    assert now["discovery_priority"] == "high" and now.versions == (first.pk,)
    tomorrow = scenario_settings_at("low_income", world.grid_a1.path, at=later + timedelta(minutes=1))
    assert tomorrow["discovery_priority"] == "normal" and tomorrow.versions == (second.pk,)
    first.refresh_from_db()
    assert first.values == {"discovery_priority": "high"}  # never edited
    assert AuditEvent.objects.filter(action="extensions.scenario.settings").count() == 2


def test_policy_settings_are_set_at_district_level_and_not_overridden_below(world):
    """Thresholds that decide who gets help are the district's (policy settings)."""
    api = client_for(world.system_admin)
    refused = api.post(
        f"/api/v1/scenarios/low_income/settings/{world.community_a.pk}/",
        {"values": {"medical_bill_threshold": "5000"}},
        format="json",
    )
    assert_error(refused, 400, "scenario_policy_at_district", ["values.medical_bill_threshold"])
    made = api.post(
        f"/api/v1/scenarios/low_income/settings/{world.district.pk}/",
        {"values": {"medical_bill_threshold": "15000"}},
        format="json",
    )
    assert made.status_code == 201
    body = client_for(world.grid_worker).get("/api/v1/scenarios/low_income/settings/").json()
    threshold = next(s for s in body["settings"] if s["name"] == "medical_bill_threshold")
    assert (
        threshold["value"] == "15000" and threshold["set_at"] == world.district.path and threshold["policy"]
    )
    assert body["versions"] == [made.json()["id"]]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"medical_bill_threshold": "lots"}, "values.medical_bill_threshold"),
        ({"gradual_exit_months": 13}, "values.gradual_exit_months"),
        ({"discovery_priority": "urgent"}, "values.discovery_priority"),
        ({"no_such_setting": 1}, "values.no_such_setting"),
    ],
)
def test_settings_are_typed_and_validated_when_saved(world, values, field):
    response = client_for(world.system_admin).post(
        f"/api/v1/scenarios/low_income/settings/{world.district.pk}/", {"values": values}, format="json"
    )
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not ScenarioSettings.objects.exists()


def test_settings_never_take_effect_in_the_past(world):
    response = client_for(world.system_admin).post(
        f"/api/v1/scenarios/low_income/settings/{world.district.pk}/",
        {"values": {"discovery_priority": "high"}, "valid_from": "2020-01-01T00:00:00+08:00"},
        format="json",
    )
    assert_error(response, 400, "scenario_settings_in_the_past", ["valid_from"])


# the command --------------------------------------------------------------------------------


def test_manage_scenarios_list_enable_disable_settings(world):
    out = StringIO()
    call_command("scenarios", "enable", "low_income", str(world.community_a.pk), stdout=out)
    assert "enabled" in out.getvalue()
    call_command(
        "scenarios", "settings", "low_income", str(world.district.pk), "gradual_exit_months=3", stdout=out
    )
    call_command("scenarios", "disable", "low_income", str(world.community_a.pk), stdout=out)
    listing = StringIO()
    call_command("scenarios", "list", stdout=listing)
    assert "low_income\t1.0.0\t低收入人口动态监测预警" in listing.getvalue()
    assert f"disabled at {world.community_a.path}" in listing.getvalue()
    assert scenario_settings_at("low_income", world.grid_a1.path)["gradual_exit_months"] == 3
    assert AuditEvent.objects.filter(action__startswith="extensions.scenario.").count() == 3


# a scenario's own routes --------------------------------------------------------------------


def test_a_scenarios_routes_answer_404_where_it_is_disabled(world):
    flag = low_income_flag(world, world.community_a)
    api = client_for(world.street_staff)
    assert api.get(f"/api/v1/scenarios/low_income/flags/{flag.pk}/").status_code == 200
    enable("low_income", world.community_a, enabled=False)
    assert api.get(f"/api/v1/scenarios/low_income/flags/{flag.pk}/").status_code == 404
    assert api.get("/api/v1/scenarios/low_income/flags/").json()["results"] == []
    assert (
        client_for(world.grid_worker)
        .post(f"/api/v1/scenarios/low_income/flags/{flag.pk}/close/", {"note": "x"}, format="json")
        .status_code
        == 404
    )
