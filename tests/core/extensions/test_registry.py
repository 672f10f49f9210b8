"""The extension contract: declarations are collected, and a broken one stops start-up clearly."""

from __future__ import annotations

import types

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.celery import app as celery_app
from core.extensions import DashboardMetric, EventType, PeriodicTask, PlatformAppConfig
from core.extensions.registry import Registry, registry


def fake_app(label: str, *, part: str = "domain", api_prefix: str | None = None) -> PlatformAppConfig:
    config = PlatformAppConfig.__new__(PlatformAppConfig)
    config.label = label
    config.name = f"tests.fake_{label}"
    config.part = part
    config.api_prefix = api_prefix
    config.websocket_urls = None
    config.verbose_name = label
    return config


def test_duplicate_key_names_the_app_that_declared_it_first():
    fresh = Registry()
    fire = EventType(key="safety.fire_hazard", name="Fire hazard", domain="safety", sla_working_days=1)
    fresh.add("safety", fire)
    with pytest.raises(
        ImproperlyConfigured, match=r"'safety\.fire_hazard' is already declared by app 'safety'"
    ):
        fresh.add("safety", fire)


def test_same_key_in_two_kinds_is_allowed():
    fresh = Registry()
    fresh.add("safety", EventType(key="safety.patrol", domain="safety", sla_working_hours=4))
    fresh.add("safety", PeriodicTask(key="safety.patrol", task="safety.patrol"))
    assert [item.key for item in fresh.items("event_types")] == ["safety.patrol"]


def test_missing_callable_stops_start_up_naming_it():
    fresh = Registry()
    with pytest.raises(ImproperlyConfigured, match=r"compute='safety\.metrics\.nothing'.*cannot be imported"):
        fresh.add("safety", DashboardMetric(key="safety.open_hazards", compute="safety.metrics.nothing"))


@pytest.mark.parametrize(
    "key",
    [
        "",
        "safety",
        "safety.",
        "safety.Fire",
        "safety.fire hazard",
        "safety.fire-hazard",
        "safety..fire",
        None,
    ],
)
def test_malformed_key_is_refused(key):
    with pytest.raises(
        ImproperlyConfigured, match=r"must be 'safety' followed by a dot and a name \(lowercase"
    ):
        Registry().add("safety", EventType(key=key))


@pytest.mark.parametrize(
    ("app_label", "key"),
    [
        ("affairs", "workflow.application"),  # another app's label
        ("hotline", "affairs.ticket"),  # a sub-app has its own label, not its package's
        ("party_building", "party.pioneer_hours"),  # a prefix of the label is not the label
        ("safety", "safety_fire"),  # no dot after the label
    ],
)
def test_a_key_not_under_its_apps_label_stops_start_up_naming_app_kind_and_key(app_label, key):
    item = PeriodicTask(key=key, task=f"{app_label}.sweep")
    with pytest.raises(ImproperlyConfigured) as refused:
        Registry().add(app_label, item)
    assert str(refused.value).startswith(
        f"App {app_label!r}: periodic_tasks key {key!r} must be {app_label!r}"
    )


def test_a_periodic_task_runs_a_celery_task_named_under_its_apps_label():
    with pytest.raises(
        ImproperlyConfigured, match=r"runs the Celery task 'escalate_overdue', whose name must be"
    ):
        Registry().add("safety", PeriodicTask(key="safety.escalate", task="escalate_overdue"))


def test_a_key_under_its_apps_label_may_have_several_parts():
    fresh = Registry()
    fresh.add("party_building", PeriodicTask(key="party_building.hours.weekly", task="party_building.sweep"))
    assert fresh.owner("periodic_tasks", "party_building.hours.weekly") == "party_building"


def test_unknown_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not a known kind"):
        Registry().add("safety", types.SimpleNamespace(key="safety.x", kind="bogus"))


def test_declared_api_without_urls_module_stops_start_up():
    with pytest.raises(
        ImproperlyConfigured, match=r"declares tests\.fake_ghost\.api\.urls, which does not exist"
    ):
        Registry().load(fake_app("ghost", api_prefix="ghost"))


def test_two_apps_cannot_share_an_api_prefix(monkeypatch):
    fresh = Registry()
    module = types.ModuleType("tests.fake_one.api.urls")
    module.urlpatterns = []
    monkeypatch.setitem(__import__("sys").modules, "tests.fake_one.api.urls", module)
    monkeypatch.setitem(__import__("sys").modules, "tests.fake_two.api.urls", module)
    fresh.load(fake_app("one", api_prefix="shared"))
    with pytest.raises(ImproperlyConfigured, match="already served by 'one'"):
        fresh.load(fake_app("two", api_prefix="shared"))


def test_unknown_part_is_refused():
    with pytest.raises(ImproperlyConfigured, match="part must be"):
        Registry().load(fake_app("odd", part="plugin"))


def test_platform_registry_holds_the_worker_heartbeat_and_celery_beat_schedules_it():
    heartbeat = registry.get("periodic_tasks", "health.worker_heartbeat")
    assert heartbeat.task == "health.record_worker_heartbeat"
    assert registry.owner("periodic_tasks", "health.worker_heartbeat") == "health"
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    celery_app.finalize()
    entry = celery_app.conf.beat_schedule["health.worker_heartbeat"]
    assert entry["task"] == "health.record_worker_heartbeat"
    assert entry["options"]["expires"] == heartbeat.expires_seconds
    assert "health.record_worker_heartbeat" in celery_app.tasks


def test_every_domain_is_a_platform_app():
    from django.apps import apps

    domains = {
        c.name for c in apps.get_app_configs() if isinstance(c, PlatformAppConfig) and c.part == "domain"
    }
    six = {"party_building", "safety", "affairs", "services", "governance"}  # 社区管理 lives in core
    assert six <= domains
    # Optional adapters of a domain (the 12345 hotline) live inside its package; the sample domain
    # exists in the test run only (tests/sample_domain).
    assert all(name.split(".")[0] in six for name in domains if not name.startswith("tests."))


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [
        ({"domain": "safety"}, "exactly one of sla_working_days and sla_working_hours"),
        ({"domain": "safety", "sla_working_days": 1, "sla_working_hours": 2}, "exactly one"),
        ({"domain": "safety", "sla_working_days": 1, "default_priority": "asap"}, "default_priority"),
        (
            {"domain": "safety", "sla_working_days": 1, "handler_finder": "safety.nowhere.finder"},
            "handler_finder 'safety.nowhere.finder' cannot be imported",
        ),
        ({"sla_working_days": 1}, "domain is required"),
    ],
)
def test_event_type_declarations_are_checked(declaration, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        Registry().add("safety", EventType(key="safety.hazard", **declaration))
