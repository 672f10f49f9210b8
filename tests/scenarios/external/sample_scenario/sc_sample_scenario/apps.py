from core.extensions import ScenarioAppConfig, Setting


class SampleScenarioConfig(ScenarioAppConfig):
    name = "sc_sample_scenario"
    label = "sample_scenario"
    names = {"zh-hans": "示例场景", "en": "Sample scenario"}
    domain = "services"
    version = "1.0.0"
    platform_versions = ">=0.1,<1"
    api_prefix = "scenarios/sample_scenario"
    settings_schema = (Setting("greeting", "text", "你好"),)
