from core.extensions import ScenarioAppConfig


class UndeclaredRoleScenarioConfig(ScenarioAppConfig):
    name = "tests.core.extensions.scenario_apps.undeclared_role"
    label = "scenario_undeclared_role"
    names = {"zh-hans": "测试场景", "en": "Test scenario"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1"
