"""A scenario's start-up error disables that scenario and is reported by /readyz; the platform
starts without it. The same error in a core part or a domain stops start-up."""

from __future__ import annotations

import logging
import re
from importlib.metadata import EntryPoint

import pytest
from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core.extensions import discovery
from core.extensions.registry import Registry, registry

APPS = "tests.core.extensions.scenario_apps"

BROKEN = [
    pytest.param(
        "bad_key", "notice_kinds key 'workflow.event_assigned_again' must be 'scenario_bad_key'", id="key"
    ),
    pytest.param("bad_path", r"compute='tests\.core\.extensions\.scenario_apps\.nowhere\.count'", id="path"),
    pytest.param("duplicate_key", "'scenario_duplicate_key.alert' is already declared", id="duplicate"),
    pytest.param("bad_prefix", "api_prefix 'Scenarios/Bad Prefix' is not a valid prefix", id="api_prefix"),
    pytest.param("raising_ready", "RuntimeError: the care-alert gateway is not configured", id="ready"),
]


@pytest.fixture
def fresh_registry(monkeypatch):
    """An empty registry in place of the platform's (PlatformAppConfig.ready() loads into it)."""
    fresh = Registry()
    monkeypatch.setattr("core.extensions.registry.registry", fresh)
    return fresh


def app_config(module: str, *, part: str | None = None) -> AppConfig:
    config = AppConfig.create(f"{APPS}.{module}")
    if part is not None:
        config.part = part
    return config


def owned_by(fresh: Registry, label: str) -> list[str]:
    return [key for items in fresh._items.values() for key, (owner, _item) in items.items() if owner == label]


@pytest.mark.parametrize(("module", "reason"), BROKEN)
def test_a_broken_scenario_is_disabled_with_its_reason_and_nothing_of_it_registered(
    fresh_registry, caplog, module, reason
):
    config = app_config(module)
    with caplog.at_level(logging.ERROR, logger="core.extensions.registry"):
        config.ready()  # does not raise: the platform goes on starting

    assert list(fresh_registry.disabled_scenarios()) == [config.label]
    assert re.search(reason, fresh_registry.disabled_scenarios()[config.label])
    assert owned_by(fresh_registry, config.label) == []
    assert fresh_registry.api_parts() == []
    assert fresh_registry.periodic_tasks() == []
    assert fresh_registry.websocket_routes() == []
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    assert config.label in caplog.records[0].getMessage()


@pytest.mark.parametrize(("module", "reason"), BROKEN)
def test_the_same_error_in_a_domain_stops_start_up(fresh_registry, module, reason):
    config = app_config(module, part="domain")
    with pytest.raises((ImproperlyConfigured, RuntimeError), match=reason.split(": ", 1)[-1]):
        config.ready()
    assert fresh_registry.disabled_scenarios() == {}


def test_a_healthy_scenario_registers_its_routes_and_tasks(fresh_registry):
    app_config("healthy").ready()
    assert [part.prefix for part in fresh_registry.api_parts()] == ["scenarios/scenario_healthy"]
    assert [task.key for task in fresh_registry.periodic_tasks()] == ["scenario_healthy.sweep"]
    assert fresh_registry.disabled_scenarios() == {}


def test_a_disabled_scenario_does_not_disturb_the_others(fresh_registry):
    app_config("healthy").ready()
    app_config("raising_ready").ready()
    assert sorted(owned_by(fresh_registry, "scenario_healthy")) == [
        "scenario_healthy.alert",
        "scenario_healthy.sweep",
    ]
    assert [part.prefix for part in fresh_registry.api_parts()] == ["scenarios/scenario_healthy"]
    assert list(fresh_registry.disabled_scenarios()) == ["scenario_raising_ready"]


@pytest.fixture
def platform_registry_restored():
    """Start-up below loads into the platform's registry; put it back as it was afterwards."""
    saved = {
        name: value.copy() if hasattr(value, "copy") else value for name, value in vars(registry).items()
    }
    saved["_items"] = {kind: items.copy() for kind, items in registry._items.items()}
    yield registry
    vars(registry).update(saved)


@pytest.mark.django_db
def test_platform_starts_with_a_broken_entry_point_scenario_and_readyz_names_it(
    monkeypatch, platform_registry_restored, client
):
    monkeypatch.setattr(discovery, "UNAVAILABLE", {})
    # Two scenarios come from installed distributions (entry points): one healthy, one broken.
    found = [
        EntryPoint(name="healthy", value=f"{APPS}.healthy", group=discovery.ENTRY_POINT_GROUP),
        EntryPoint(name="bad_key", value=f"{APPS}.bad_key", group=discovery.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(
        discovery, "entry_points", lambda group: found if group == discovery.ENTRY_POINT_GROUP else []
    )
    # The local scenarios (scenarios/*) are installed already; these two come on top.
    scenarios = [
        app for app in discovery.scenario_apps(settings.BASE_DIR / "scenarios") if app.startswith(APPS)
    ]
    assert scenarios == [f"{APPS}.bad_key", f"{APPS}.healthy"]

    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, *scenarios]):  # Django starts again
        response = client.get("/readyz")
        prefixes = [part.prefix for part in registry.api_parts()]
        beat = [task.key for task in registry.periodic_tasks()]

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert [entry["app"] for entry in body["disabled_scenarios"]] == ["scenario_bad_key"]
    assert "'workflow.event_assigned_again'" in body["disabled_scenarios"][0]["reason"]
    assert "scenarios/scenario_healthy" in prefixes and "affairs" in prefixes
    assert "scenario_healthy.sweep" in beat and "scenario_bad_key.sweep" not in beat


@pytest.mark.django_db
def test_an_entry_point_whose_module_is_missing_is_left_out_and_named_by_readyz(monkeypatch, client):
    monkeypatch.setattr(discovery, "UNAVAILABLE", {})
    found = [
        EntryPoint(name="gone", value="uninstalled_vendor.care_alerts", group=discovery.ENTRY_POINT_GROUP),
        EntryPoint(
            name="gone_config", value=f"{APPS}.nowhere.apps.Config", group=discovery.ENTRY_POINT_GROUP
        ),
        EntryPoint(
            name="healthy",
            value=f"{APPS}.healthy.apps.HealthyScenarioConfig",
            group=discovery.ENTRY_POINT_GROUP,
        ),
    ]
    monkeypatch.setattr(discovery, "entry_points", lambda group: found)

    assert [app for app in discovery.scenario_apps(settings.BASE_DIR / "scenarios") if "." in app[10:]] == [
        f"{APPS}.healthy.apps.HealthyScenarioConfig"
    ]

    response = client.get("/readyz")
    assert response.status_code == 200
    disabled = {entry["app"]: entry["reason"] for entry in response.json()["disabled_scenarios"]}
    assert set(disabled) == {"uninstalled_vendor.care_alerts", f"{APPS}.nowhere.apps.Config"}
    assert "cannot be found" in disabled["uninstalled_vendor.care_alerts"]


@pytest.mark.django_db
def test_readyz_lists_no_disabled_scenario_when_all_start(client):
    assert client.get("/readyz").json()["disabled_scenarios"] == []


def test_a_scenario_naming_an_undeclared_role_is_disabled_once_every_app_is_loaded(fresh_registry):
    """What one app names of another's is checked after all are loaded: a scenario's dangling
    name disables that scenario; the same in a domain is reported and stops start-up."""
    app_config("healthy").ready()
    app_config("undeclared_role").ready()
    assert fresh_registry.disabled_scenarios() == {}  # nothing wrong is visible yet
    assert fresh_registry.reference_problems() == []
    disabled = fresh_registry.disabled_scenarios()
    assert list(disabled) == ["scenario_undeclared_role"]
    assert "'scenario_undeclared_role.ghost', which no app declares" in disabled["scenario_undeclared_role"]
    assert owned_by(fresh_registry, "scenario_undeclared_role") == []
    assert owned_by(fresh_registry, "scenario_healthy")


def test_a_domain_naming_an_undeclared_role_is_reported(fresh_registry):
    app_config("undeclared_role", part="domain").ready()
    problems = fresh_registry.reference_problems()
    assert len(problems) == 1 and "'scenario_undeclared_role.ghost'" in problems[0]
    assert fresh_registry.disabled_scenarios() == {}
