from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtensionsConfig(AppConfig):
    name = "core.extensions"
    label = "extensions"
    verbose_name = _("Extensions")
