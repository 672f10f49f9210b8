from django.utils.translation import gettext_lazy as _

from core.extensions import ScenarioAppConfig, Setting


class ExtremeWeatherConfig(ScenarioAppConfig):
    """寒冬送温暖、夏季送清凉: a weather warning creates care visits for the vulnerable residents
    of its region and a patrol for rough sleepers, tracked until it ends."""

    name = "scenarios.extreme_weather"
    label = "extreme_weather"
    verbose_name = _("Extreme-weather care")
    names = {"zh-hans": "极端天气关爱（寒冬送温暖、夏季送清凉）", "en": "Extreme-weather care"}
    domain = "services"
    version = "1.0.0"
    platform_versions = ">=0.1,<1"
    api_prefix = "scenarios/extreme_weather"
    settings_schema = (
        Setting(
            "care_tags",
            "text",
            "registry.living_alone,registry.disability,registry.tekun",
            _("Resident tags that get a care visit (comma separated)"),
            policy=True,
        ),
        Setting(
            "lowest_level",
            "choice",
            "yellow",
            _("Lowest warning level that starts visits"),
            choices=("blue", "yellow", "orange", "red"),
            policy=True,
        ),
        Setting("visit_hours", "integer", 24, _("Hours to reach each resident"), minimum=1, maximum=72),
    )
