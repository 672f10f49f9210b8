from core.extensions import PlatformAppConfig


class BadPathScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.bad_path"
    label = "scenario_bad_path"
    part = "scenario"
