from django.utils.translation import gettext_lazy as _

from core.extensions import ScenarioAppConfig, Setting


class LowIncomeConfig(ScenarioAppConfig):
    """低收入人口动态监测预警: other offices' data flags households at risk (主动发现) and
    recipients due for a re-check."""

    name = "scenarios.low_income"
    label = "low_income"
    verbose_name = _("Low-income monitoring and early warning")
    names = {"zh-hans": "低收入人口动态监测预警", "en": "Low-income monitoring and early warning"}
    domain = "affairs"
    version = "1.0.0"
    platform_versions = ">=0.1,<1"
    api_prefix = "scenarios/low_income"
    settings_schema = (
        # 民政部《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》(2023): large medical
        # spending, disability, unemployment and disasters are the signals of falling into need.
        Setting(
            "medical_bill_threshold",
            "decimal",
            "20000",
            _("Medical bill that flags a household (yuan)"),
            policy=True,
            minimum="0",
        ),
        Setting(
            "disaster_loss_threshold",
            "decimal",
            "10000",
            _("Disaster loss that flags a household (yuan)"),
            policy=True,
            minimum="0",
        ),
        Setting(
            "low_income_standard",
            "decimal",
            "1000",
            _("Monthly income per person above which a recipient is re-checked (yuan)"),
            policy=True,
            minimum="0",
        ),
        # 渐退期: 《最低生活保障审核确认办法》(民发〔2021〕57号) art. 29, commonly up to 6 months.
        Setting(
            "gradual_exit_months",
            "integer",
            6,
            _("Gradual exit when income rises from work (months)"),
            policy=True,
            minimum=0,
            maximum=12,
        ),
        Setting(
            "discovery_priority",
            "choice",
            "normal",
            _("Priority of an active-discovery event"),
            choices=("normal", "high"),
        ),
    )

    def ready(self) -> None:
        super().ready()
        from scenarios.low_income import tasks  # noqa: F401
