from core.extensions import ScenarioAppConfig, Setting


class IncompatibleScenarioConfig(ScenarioAppConfig):
    name = "tests.scenarios.apps.incompatible"
    label = "scenario_incompatible"
    names = {"zh-hans": "不兼容场景", "en": "Incompatible scenario"}
    domain = "safety"
    version = "2.0.0"
    platform_versions = ">=9.0"
    settings_schema = (Setting("threshold", "integer", "many"),)
