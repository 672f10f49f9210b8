from core.extensions import PlatformAppConfig


class RaisingReadyScenarioConfig(PlatformAppConfig):
    name = "tests.core.extensions.scenario_apps.raising_ready"
    label = "scenario_raising_ready"
    part = "scenario"
    api_prefix = "scenarios/raising-ready"
    websocket_urls = "tests.core.extensions.scenario_apps.raising_ready.routing"

    def ready(self) -> None:
        super().ready()  # its declarations load, then its own start-up code fails
        raise RuntimeError("the care-alert gateway is not configured")
