from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class RegionsConfig(PlatformAppConfig):
    name = "core.regions"
    label = "regions"
    verbose_name = _("Regions")
    api_prefix = "regions"

    def ready(self) -> None:
        super().ready()
        from core.regions.placement import check_declarations

        # Every app's models are loaded by now: a placed model that does not say whether it
        # follows its region stops start-up here, by name.
        check_declarations()
