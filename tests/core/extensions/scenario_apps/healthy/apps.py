from core.extensions import PlatformAppConfig


class HealthyScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.healthy"
    label = "scenario_healthy"
    part = "scenario"
    api_prefix = "scenarios/healthy"
