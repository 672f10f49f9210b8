from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class WorkflowConfig(PlatformAppConfig):
    name = "core.workflow"
    label = "workflow"
    verbose_name = _("Events and work orders")
    api_prefix = "events"
