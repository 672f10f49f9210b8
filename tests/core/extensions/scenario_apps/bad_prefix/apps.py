from core.extensions import PlatformAppConfig


class BadPrefixScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.bad_prefix"
    label = "scenario_bad_prefix"
    part = "scenario"
    api_prefix = "Scenarios/Bad Prefix"
