from django.utils.translation import gettext_lazy as _

from core.extensions import ScenarioAppConfig, Setting


class ElderlyAloneConfig(ScenarioAppConfig):
    """独居老人关爱: takes over the safety domain's care signals where enabled, and answers each
    with steps on a clock that runs around the clock (call, visit, emergency contact and community)."""

    name = "scenarios.elderly_alone"
    label = "elderly_alone"
    verbose_name = _("Care for elderly people living alone")
    names = {"zh-hans": "独居老人关爱", "en": "Care for elderly people living alone"}
    domain = "safety"
    version = "1.0.0"
    platform_versions = ">=0.1,<1"
    api_prefix = "scenarios/elderly_alone"
    settings_schema = (
        Setting(
            "call_minutes", "integer", 15, _("Minutes for the grid worker's call"), minimum=5, maximum=120
        ),
        Setting("visit_minutes", "integer", 60, _("Minutes for the visit"), minimum=10, maximum=240),
        Setting(
            "contact_minutes",
            "integer",
            60,
            _("Minutes for the emergency contact and the community"),
            minimum=10,
            maximum=240,
        ),
    )

    def ready(self) -> None:
        super().ready()
        from scenarios.elderly_alone import tasks  # noqa: F401
