from core.extensions import ScenarioAppConfig


class RaisingReadyScenarioConfig(ScenarioAppConfig):
    name = "tests.core.extensions.scenario_apps.raising_ready"
    label = "scenario_raising_ready"
    names = {"zh-hans": "测试场景", "en": "Test scenario"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1"
    api_prefix = "scenarios/scenario_raising_ready"
    websocket_urls = "tests.core.extensions.scenario_apps.raising_ready.routing"

    def ready(self) -> None:
        super().ready()  # its declarations load, then its own start-up code fails
        raise RuntimeError("the care-alert gateway is not configured")
