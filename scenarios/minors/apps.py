from django.utils.translation import gettext_lazy as _

from core.extensions import ScenarioAppConfig, Setting


class MinorsConfig(ScenarioAppConfig):
    """市—县—镇街—村居 四级未成年人保护网络: children in difficulty, orphans and de-facto unattended
    children, the responsible person at each level, mandatory reports, visits, escalation."""

    name = "scenarios.minors"
    label = "minors"
    verbose_name = _("Minor protection in four levels")
    names = {"zh-hans": "四级未成年人保护网络", "en": "Minor protection in four levels"}
    domain = "affairs"
    version = "1.0.0"
    platform_versions = ">=0.1,<1"
    api_prefix = "scenarios/minors"
    settings_schema = (
        # 《关于进一步加强事实无人抚养儿童保障工作的意见》(民发〔2019〕62号): 儿童主任 follow the
        # children of their village or community closely; these are the visit intervals by category.
        Setting(
            "visit_days_unattended",
            "integer",
            30,
            _("Days between visits: de-facto unattended"),
            policy=True,
            minimum=1,
            maximum=365,
        ),
        Setting(
            "visit_days_orphan",
            "integer",
            90,
            _("Days between visits: orphans"),
            policy=True,
            minimum=1,
            maximum=365,
        ),
        Setting(
            "visit_days_in_difficulty",
            "integer",
            30,
            _("Days between visits: in difficulty"),
            policy=True,
            minimum=1,
            maximum=365,
        ),
        Setting(
            "take_up_hours",
            "integer",
            24,
            _("Hours to take up a report before it goes up a level"),
            minimum=1,
            maximum=72,
        ),
    )

    def ready(self) -> None:
        super().ready()
        from scenarios.minors import tasks  # noqa: F401
