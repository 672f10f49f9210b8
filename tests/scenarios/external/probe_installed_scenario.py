"""Run by tests/scenarios/test_external_scenario.py in a process whose path holds the installed
wheel of sample_scenario/ (not collected on its own: the scenario is not installed here)."""

from django.conf import settings

from core.extensions.registry import registry
from tests.helpers import client_for
from tests.scenarios.helpers import enable_audited


def test_the_wheel_scenario_is_discovered_enabled_for_one_community_only_and_mounted(world):
    assert "sc_sample_scenario" in settings.INSTALLED_APPS
    assert registry.scenario("sample_scenario").names["en"] == "Sample scenario"
    assert "scenarios/sample_scenario" in [part.prefix for part in registry.api_parts()]
    enable_audited("sample_scenario", world.community_a)
    listed = client_for(world.community_worker).get("/api/v1/scenarios/").json()
    assert next(row for row in listed if row["key"] == "sample_scenario")["state"]["enabled"] is True
    here = client_for(world.community_worker).get("/api/v1/scenarios/sample_scenario/greetings/")
    assert here.status_code == 200 and here.json()["greeting"] == "你好"
    there = client_for(world.worker_b).get("/api/v1/scenarios/sample_scenario/greetings/")
    assert there.status_code == 404 and there.json()["error"]["code"] == "scenario_not_enabled_here"
