from core.extensions import ScenarioAppConfig


class HealthyScenarioConfig(ScenarioAppConfig):
    name = "tests.core.extensions.scenario_apps.healthy"
    label = "scenario_healthy"
    names = {"zh-hans": "测试场景", "en": "Test scenario"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1"
    api_prefix = "scenarios/scenario_healthy"
