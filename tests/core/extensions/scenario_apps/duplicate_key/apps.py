from core.extensions import ScenarioAppConfig


class DuplicateKeyScenarioConfig(ScenarioAppConfig):
    name = "tests.core.extensions.scenario_apps.duplicate_key"
    label = "scenario_duplicate_key"
    names = {"zh-hans": "测试场景", "en": "Test scenario"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1"
