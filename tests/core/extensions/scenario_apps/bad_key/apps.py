from core.extensions import PlatformAppConfig


class BadKeyScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.bad_key"
    label = "scenario_bad_key"
    part = "scenario"
