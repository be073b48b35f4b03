from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "liaison.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        # The audit trail sits below accounts and asks it where a user's events belong.
        from liaison.accounts.scoping import user_region_code
        from liaison.audit.services import user_region_resolver_set

        user_region_resolver_set(user_region_code)
