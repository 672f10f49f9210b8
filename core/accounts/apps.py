from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class AccountsConfig(PlatformAppConfig):
    name = "core.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    api_prefix = "accounts"

    def ready(self) -> None:
        super().ready()
        from core.accounts import checks, schema, signals  # noqa: F401 - declaration check; schema extensions; session and Celery guards
        from core.accounts.admin_login import install_admin_login

        install_admin_login()
