from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "liaison.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from liaison.audit.checks import check_append_serialized

        checks.register(check_append_serialized)
