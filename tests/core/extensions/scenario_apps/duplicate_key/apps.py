from core.extensions import PlatformAppConfig


class DuplicateKeyScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.duplicate_key"
    label = "scenario_duplicate_key"
    part = "scenario"
