from core.extensions import ScenarioAppConfig


class BadPrefixScenarioConfig(ScenarioAppConfig):
    name = "tests.core.extensions.scenario_apps.bad_prefix"
    label = "scenario_bad_prefix"
    names = {"zh-hans": "测试场景", "en": "Test scenario"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1"
    api_prefix = "Scenarios/Bad Prefix"
