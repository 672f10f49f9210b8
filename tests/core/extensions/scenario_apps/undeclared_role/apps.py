from core.extensions import PlatformAppConfig


class UndeclaredRoleScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.undeclared_role"
    label = "scenario_undeclared_role"
    part = "scenario"
