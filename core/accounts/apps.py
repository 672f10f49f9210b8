from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class AccountsConfig(PlatformAppConfig):
    name = "core.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
